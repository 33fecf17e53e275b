"""The deployment files (deploy/) agree with the product: every AUDIT_ setting they name exists, the probes are the
app's health routes, replicas never migrate themselves, and the proxy keeps WebSockets and sessions working."""
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from config import Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SETTINGS = {f"AUDIT_{name.upper()}" for name in Settings.model_fields}
# placeholders of the nginx template, filled by scripts/run-cluster.sh and the nginx image, not app settings
TEMPLATE_VARIABLES = {"AUDIT_LISTEN", "AUDIT_UPSTREAM_SERVERS", "AUDIT_MAX_BODY_MB", "AUDIT_DB_PASSWORD"}


def test_every_setting_the_deployment_names_exists():
    named = set()
    for path in [*DEPLOY.rglob("*.yaml"), DEPLOY / "Dockerfile", ROOT / "scripts" / "run-cluster.sh"]:
        named |= set(re.findall(r"\bAUDIT_[A-Z0-9_]+", path.read_text(encoding="utf-8")))
    assert named - TEMPLATE_VARIABLES <= SETTINGS, named - TEMPLATE_VARIABLES - SETTINGS


def test_kubernetes_probes_affinity_and_migrations():
    deployment = yaml.safe_load((DEPLOY / "k8s" / "deployment.yaml").read_text(encoding="utf-8"))
    app = deployment["spec"]["template"]["spec"]["containers"][0]
    assert app["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert app["readinessProbe"]["httpGet"]["path"] == "/readyz"
    service = yaml.safe_load((DEPLOY / "k8s" / "service.yaml").read_text(encoding="utf-8"))
    assert service["spec"]["sessionAffinity"] == "ClientIP"
    ingress = yaml.safe_load((DEPLOY / "k8s" / "ingress.yaml").read_text(encoding="utf-8"))
    assert ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    config = yaml.safe_load((DEPLOY / "k8s" / "config.yaml").read_text(encoding="utf-8"))
    assert config["data"]["AUDIT_MIGRATE_ON_START"] == "false"
    job = yaml.safe_load((DEPLOY / "k8s" / "migrate-job.yaml").read_text(encoding="utf-8"))
    assert job["spec"]["template"]["spec"]["containers"][0]["command"][-2:] == ["ops", "migrate"]


def test_compose_runs_migrations_once_and_replicas_behind_nginx():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))["services"]
    assert compose["app"]["environment"]["AUDIT_MIGRATE_ON_START"] == "false"
    assert compose["app"]["deploy"]["replicas"] >= 2
    assert compose["app"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert compose["nginx"]["environment"]["AUDIT_MAX_BODY_MB"] == compose["app"]["environment"]["AUDIT_MAX_UPLOAD_MB"]


def test_the_proxy_keeps_websockets_and_sticky_sessions():
    template = (DEPLOY / "nginx" / "audit.conf.template").read_text(encoding="utf-8")
    for directive in ("proxy_http_version 1.1", "proxy_set_header Upgrade $http_upgrade",
                      "proxy_set_header Connection $connection_upgrade", "proxy_read_timeout 86400s",
                      "client_max_body_size ${AUDIT_MAX_BODY_MB}m", "hash $audit_node consistent"):
        assert directive in template


def test_the_template_makes_a_valid_nginx_configuration(tmp_path):
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        pytest.skip("nginx is not installed (scripts/system-packages.sh)")
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))["services"]["nginx"]["environment"]
    site = (DEPLOY / "nginx" / "audit.conf.template").read_text(encoding="utf-8")
    values = {**compose, "AUDIT_LISTEN": "127.0.0.1:8080 default_server",  # names that resolve without Docker
              "AUDIT_UPSTREAM_SERVERS": "server 127.0.0.1:8501; server 127.0.0.1:8502;"}
    for name, value in values.items():
        site = site.replace("${" + name + "}", value)
    assert "${" not in site
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"pid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{\n{site}\n}}\n", encoding="utf-8")
    checked = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
