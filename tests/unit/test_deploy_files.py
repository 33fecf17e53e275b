"""The deployment files (deploy/), never run here (no Docker), agree with the product and with each other: every
AUDIT_ setting they name exists, the image runs the ASGI entry, the probes are the app's health routes on the port
it serves, replicas never migrate themselves while one job or one-shot does, sessions stay on one replica, and the
proxy keeps WebSockets open and takes uploads up to the app's limit. The nginx template is also rendered as
scripts/run-cluster.sh renders it and checked with `nginx -t`."""
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from config import Settings
from web.routes import ROUTES

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SETTINGS = {f"AUDIT_{name.upper()}" for name in Settings.model_fields}
# placeholders of the nginx template, filled by scripts/run-cluster.sh and the nginx image, not app settings
TEMPLATE_VARIABLES = {"AUDIT_LISTEN", "AUDIT_UPSTREAM_SERVERS", "AUDIT_MAX_BODY_MB"}
COMPOSE_ONLY = {"AUDIT_DB_PASSWORD"}  # compose.yaml's own variable, put into the database URL
CREDENTIALS = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}  # boto3 reads them (config.py: s3_access_key_id)
PROXY = {"FORWARDED_ALLOW_IPS"}  # uvicorn's own: whose X-Forwarded-For gives the client's address
UPLOAD_MB = Settings.model_fields["max_upload_mb"].default
ROUTE_PATHS = {route.path for route in ROUTES}
MIGRATE = ["python", "-m", "ops", "migrate"]


def load(*parts: str):
    return yaml.safe_load(DEPLOY.joinpath(*parts).read_text(encoding="utf-8"))


def image_command() -> list[str]:
    """The Dockerfile's CMD, the shell line inside `sh -c` split into words."""
    line = next(line for line in (DEPLOY / "Dockerfile").read_text(encoding="utf-8").splitlines()
                if line.startswith("CMD "))
    words = yaml.safe_load(line.removeprefix("CMD "))  # a JSON array
    assert words[:2] == ["sh", "-c"], words
    return shlex.split(words[2])


def image_port() -> int:
    command = image_command()
    return int(command[command.index("--server.port") + 1])


def test_every_setting_the_deployment_names_exists():
    named = set()
    for path in [*DEPLOY.rglob("*"), ROOT / "scripts" / "run-cluster.sh"]:
        if path.is_file():
            named |= set(re.findall(r"\bAUDIT_[A-Z0-9_]+", path.read_text(encoding="utf-8")))
    unknown = named - TEMPLATE_VARIABLES - COMPOSE_ONLY - SETTINGS
    assert not unknown, f"not settings in config.py: {sorted(unknown)}"


def test_the_image_runs_the_asgi_entry_with_the_upload_limit():
    command = image_command()
    assert command[:5] == ["exec", "python", "-m", "streamlit", "run"] and command[5] == "serve.py"
    assert "app = st.App(" in (ROOT / "serve.py").read_text(encoding="utf-8")  # the ASGI entry with the routes
    assert "streamlit run serve.py" in (ROOT / "scripts" / "run-cluster.sh").read_text(encoding="utf-8")
    assert command[command.index("--server.maxUploadSize") + 1] == f"${{AUDIT_MAX_UPLOAD_MB:-{UPLOAD_MB}}}"
    assert command[command.index("--server.address") + 1] == "0.0.0.0"
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert f"EXPOSE {image_port()}" in dockerfile and "AUDIT_MIGRATE_ON_START=false" in dockerfile


def test_kubernetes_replicas_probe_the_health_routes_on_the_served_port():
    deployment = load("k8s", "deployment.yaml")
    assert deployment["spec"]["replicas"] >= 2
    pod = deployment["spec"]["template"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
    app = pod["spec"]["containers"][0]
    assert "command" not in app and "args" not in app  # the image's CMD: the ASGI entry
    ports = {port["name"]: port["containerPort"] for port in app["ports"]}
    assert ports["http"] == image_port()
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz"), ("startupProbe", "/healthz")):
        check = app[probe]["httpGet"]
        assert check["path"] == path and path in ROUTE_PATHS
        assert ports.get(check["port"], check["port"]) == image_port()
    assert [ref.get("configMapRef", ref.get("secretRef"))["name"] for ref in app["envFrom"]] == \
        ["audit-config", "audit-secrets"]


def test_kubernetes_settings_and_secrets_are_the_ones_config_reads():
    config = load("k8s", "config.yaml")
    assert config["metadata"]["name"] == "audit-config"
    assert set(config["data"]) <= SETTINGS, set(config["data"]) - SETTINGS
    assert config["data"]["AUDIT_STORE"] == "s3" and config["data"]["AUDIT_S3_BUCKET"]
    assert config["data"]["AUDIT_MIGRATE_ON_START"] == "false"
    assert int(config["data"]["AUDIT_MAX_UPLOAD_MB"]) == UPLOAD_MB
    assert config["data"]["AUDIT_COOKIE_SECURE"] == "true"  # TLS ends at the Ingress
    # the Secret is made by hand, as the file's comment shows: its keys must be read by the app too
    secret_keys = set(re.findall(r"--from-literal=([A-Z0-9_]+)=", (DEPLOY / "k8s" / "config.yaml").read_text()))
    assert secret_keys == {"AUDIT_DATABASE_URL"} | CREDENTIALS


def test_kubernetes_migrations_run_once_in_a_job_before_the_replicas():
    job, deployment = load("k8s", "migrate-job.yaml"), load("k8s", "deployment.yaml")
    migrate = job["spec"]["template"]["spec"]["containers"][0]
    app = deployment["spec"]["template"]["spec"]["containers"][0]
    assert migrate["command"] == MIGRATE and migrate["image"] == app["image"]
    assert migrate["envFrom"] == app["envFrom"]  # the same database
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"


def test_kubernetes_sessions_stay_on_one_replica_and_websockets_stay_open():
    service, ingress = load("k8s", "service.yaml"), load("k8s", "ingress.yaml")
    deployment = load("k8s", "deployment.yaml")
    assert service["spec"]["sessionAffinity"] == "ClientIP"
    assert service["spec"]["selector"].items() <= deployment["spec"]["template"]["metadata"]["labels"].items()
    assert {port["name"]: port["targetPort"] for port in service["spec"]["ports"]}["http"] == "http"
    notes = ingress["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert notes[prefix + "affinity"] == "cookie" and notes[prefix + "affinity-mode"] == "persistent"
    # ingress-nginx passes the Upgrade and Connection headers itself; a WebSocket needs the long timeouts
    assert int(notes[prefix + "proxy-read-timeout"]) >= 3600 and int(notes[prefix + "proxy-send-timeout"]) >= 3600
    assert notes[prefix + "proxy-body-size"] == f"{UPLOAD_MB}m"
    assert notes[prefix + "proxy-buffering"] == "off"  # streamed downloads
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == service["metadata"]["name"] and backend["port"]["name"] == "http"


def test_compose_runs_replicas_on_postgresql_and_the_bucket_behind_nginx():
    services = load("compose.yaml")["services"]
    app, migrate, nginx = services["app"], services["migrate"], services["nginx"]
    env = app["environment"]
    assert app["deploy"]["replicas"] >= 2
    assert set(env) - CREDENTIALS - PROXY <= SETTINGS and set(env) & CREDENTIALS == CREDENTIALS
    assert "ports" not in app  # only nginx reaches the replicas, so their forwarded addresses can be trusted
    postgres = services["postgres"]["environment"]
    assert re.fullmatch(rf"postgresql\+psycopg://{postgres['POSTGRES_USER']}:\$\{{AUDIT_DB_PASSWORD[^}}]*\}}"
                        rf"@postgres:5432/{postgres['POSTGRES_DB']}", env["AUDIT_DATABASE_URL"])
    weed = services["seaweedfs"]
    s3_port = next(arg.split("=")[1] for arg in weed["command"] if arg.startswith("-s3.port="))
    assert env["AUDIT_STORE"] == "s3" and env["AUDIT_S3_ENDPOINT"] == f"http://seaweedfs:{s3_port}"
    assert env["AUDIT_S3_BUCKET"] == weed["environment"]["S3_BUCKET"]
    assert app["healthcheck"]["test"][-1] == f"http://127.0.0.1:{image_port()}/readyz"
    upstream = re.findall(r"server app:(\d+)", nginx["environment"]["AUDIT_UPSTREAM_SERVERS"])
    assert upstream == [str(image_port())]
    assert int(nginx["environment"]["AUDIT_MAX_BODY_MB"]) == int(env["AUDIT_MAX_UPLOAD_MB"]) == UPLOAD_MB
    assert app["build"] == migrate["build"] and app["image"] == migrate["image"]


def test_compose_migrates_once_and_replicas_do_not():
    services = load("compose.yaml")["services"]
    app, migrate = services["app"], services["migrate"]
    assert migrate["command"] == MIGRATE and migrate["restart"] == "no"
    assert migrate["environment"] == app["environment"]
    assert app["environment"]["AUDIT_MIGRATE_ON_START"] == "false"
    assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_the_proxy_keeps_websockets_sticky_sessions_and_the_upload_limit():
    template = (DEPLOY / "nginx" / "audit.conf.template").read_text(encoding="utf-8")
    for directive in ("proxy_http_version 1.1", "proxy_set_header Upgrade $http_upgrade",
                      "proxy_set_header Connection $connection_upgrade", "proxy_read_timeout 86400s",
                      "client_max_body_size ${AUDIT_MAX_BODY_MB}m", "hash $audit_node consistent",
                      "proxy_buffering off", "proxy_request_buffering off"):
        assert directive in template
    cluster = (ROOT / "scripts" / "run-cluster.sh").read_text(encoding="utf-8")
    assert f"limit=${{AUDIT_MAX_UPLOAD_MB:-{UPLOAD_MB}}}" in cluster  # the body size run-cluster.sh fills in


def cluster_renderer() -> str:
    """The Python that scripts/run-cluster.sh runs to write nginx.conf from the template."""
    script = (ROOT / "scripts" / "run-cluster.sh").read_text(encoding="utf-8")
    return re.search(r"<<'PY'\n(.*?\n)PY\n", script, re.S).group(1)


def test_the_template_placeholders_are_the_ones_run_cluster_and_compose_fill():
    placeholders = set(re.findall(r"\$\{(\w+)\}", (DEPLOY / "nginx" / "audit.conf.template").read_text()))
    assert placeholders == TEMPLATE_VARIABLES
    assert set(re.findall(r'\("(AUDIT_\w+)", \w+\)', cluster_renderer())) == TEMPLATE_VARIABLES
    assert set(load("compose.yaml")["services"]["nginx"]["environment"]) == TEMPLATE_VARIABLES


def nginx_binary() -> str:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        pytest.skip("nginx is not installed (scripts/system-packages.sh)")
    return nginx


def nginx_accepts(conf: Path, folder: Path) -> None:
    checked = subprocess.run([nginx_binary(), "-t", "-p", str(folder), "-c", str(conf), "-e",
                              str(folder / "error.log")], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr


def test_run_cluster_renders_a_configuration_nginx_accepts(tmp_path):
    nginx_binary()
    servers = "server 127.0.0.1:8501 max_fails=1 fail_timeout=10s; server 127.0.0.1:8502 max_fails=1 fail_timeout=10s; "
    subprocess.run(["python3", "-", str(tmp_path), "127.0.0.1:8080", servers, str(UPLOAD_MB)], cwd=ROOT, check=True,
                   input=cluster_renderer(), text=True, timeout=60)
    conf = tmp_path / "nginx.conf"
    assert f"client_max_body_size {UPLOAD_MB}m;" in conf.read_text(encoding="utf-8")
    (tmp_path / "nginx-temp").mkdir()
    nginx_accepts(conf, tmp_path)


def test_the_template_filled_as_compose_fills_it_is_valid(tmp_path):
    nginx_binary()
    compose = load("compose.yaml")["services"]["nginx"]["environment"]
    site = (DEPLOY / "nginx" / "audit.conf.template").read_text(encoding="utf-8")
    values = {**compose, "AUDIT_LISTEN": "127.0.0.1:8080 default_server",  # names that resolve without Docker
              "AUDIT_UPSTREAM_SERVERS": compose["AUDIT_UPSTREAM_SERVERS"].replace("app:", "127.0.0.1:")}
    for name, value in values.items():
        site = site.replace("${" + name + "}", value)
    assert "${" not in site
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"pid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{\n{site}\n}}\n", encoding="utf-8")
    nginx_accepts(conf, tmp_path)
