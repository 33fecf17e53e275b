"""Run the app with `streamlit run` on a free port for browser tests, and stop it afterwards."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} not healthy after {timeout}s")


@contextlib.contextmanager
def streamlit_app(data_dir: Path, log: Path, extra_env: dict | None = None, script: Path | None = None):
    """Yield the base URL of the app (or of `script`) running on its own data folder."""
    port = free_port()
    env = {**os.environ, "AUDIT_DATA_DIR": str(data_dir), "AUDIT_DEMO_DATA": "true", "PYTHONUNBUFFERED": "1",
           "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", **(extra_env or {})}
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script or "serve.py"), "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
             "--server.maxUploadSize", env.get("AUDIT_MAX_UPLOAD_MB", "200")],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(f"{base}/_stcore/health", proc, log)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
