"""A Word document turned into PDF by LibreOffice, where it is installed (headless, its own throwaway profile, so
it runs beside a desktop LibreOffice and in parallel). Without LibreOffice the product offers Word only."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 120


def office_program(configured: str = "") -> str | None:
    """LibreOffice's `soffice`: the configured path (setting AUDIT_SOFFICE_PATH) when given, else found on PATH."""
    return shutil.which(configured) if configured else shutil.which("soffice")


def pdf_available(configured: str = "") -> bool:
    return office_program(configured) is not None


def docx_to_pdf(data: bytes, configured: str = "") -> bytes:
    """The PDF of a .docx; raises RuntimeError when LibreOffice is missing or fails."""
    return docx_to_pdfs([data], configured)[0]


def docx_to_pdfs(documents: list[bytes], configured: str = "") -> list[bytes]:
    """The PDFs of several .docx files from one LibreOffice run (its start-up paid once), in the same order."""
    office = office_program(configured)
    if office is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory() as folder:
        sources = [Path(folder) / f"document-{n:04d}.docx" for n in range(len(documents))]
        for source, data in zip(sources, documents, strict=True):
            source.write_bytes(data)
        done = subprocess.run([office, f"-env:UserInstallation={Path(folder, 'profile').as_uri()}", "--headless",
                               "--convert-to", "pdf", "--outdir", folder, *map(str, sources)],
                              capture_output=True, timeout=TIMEOUT_SECONDS * max(1, len(documents)), check=False)
        targets = [source.with_suffix(".pdf") for source in sources]
        if done.returncode != 0 or not all(t.exists() for t in targets):
            raise RuntimeError(f"LibreOffice could not convert the document: {done.stderr.decode(errors='replace')}")
        return [t.read_bytes() for t in targets]
