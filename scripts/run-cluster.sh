#!/usr/bin/env bash
# Several replicas on this machine, for tests and demos: a throwaway PostgreSQL (scripts/pg-temp.sh), SeaweedFS as
# the object store (scripts/s3-temp.sh), migrations applied once (python -m ops migrate), N app processes
# (`streamlit run serve.py`, AUDIT_MIGRATE_ON_START=false) and nginx in front with sticky sessions
# (deploy/nginx/audit.conf.template), all on 127.0.0.1 as the current user, everything in one temp folder.
#
# usage: scripts/run-cluster.sh [start] [replicas]   (default 2) prints the address, and on stdout
#            export CLUSTER_DIR=... CLUSTER_URL=... CLUSTER_REPLICAS="port port" for `eval "$(...)"`
#        scripts/run-cluster.sh stop [dir]          stops everything it started (default: the last cluster)
#        scripts/run-cluster.sh kill-replica N [dir] stops replica N (1-based) at once, as a crash would
set -euo pipefail
cd "$(dirname "$0")/.."
LAST=${TMPDIR:-/tmp}/audit-cluster-$(id -u).last
PY=.venv/bin/python
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
say() { echo "$*" >&2; }

stop_pid() {  # stop one process group we started, politely then firmly
  local pid=$1
  kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
  kill -9 -- "-$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null || true
}

wait_ready() {  # url, pid, seconds
  for _ in $(seq 1 $(($3 * 4))); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.25
  done
  return 1
}

stop_cluster() {
  local dir=$1
  [ -d "$dir" ] || { say "没有找到集群目录：$dir"; return 0; }
  if [ -f "$dir/nginx.pid" ]; then stop_pid "$(cat "$dir/nginx.pid")"; fi
  for f in "$dir"/replica-*.pid; do [ -f "$f" ] && stop_pid "$(cat "$f")"; done
  [ -f "$dir/s3dir" ] && scripts/s3-temp.sh stop "$(cat "$dir/s3dir")" || true
  [ -f "$dir/pgdir" ] && scripts/pg-temp.sh stop "$(cat "$dir/pgdir")" || true
  rm -rf "$dir"
  [ "$(cat "$LAST" 2>/dev/null)" = "$dir" ] && rm -f "$LAST"
  say "集群已停止"
}

start_replica() {  # dir, index, port: AUDIT_* settings come from $dir/env
  local dir=$1 i=$2 port=$3
  # shellcheck disable=SC1091
  ( set -a; . "$dir/env"; set +a
    exec setsid "$PY" -m streamlit run serve.py --server.port "$port" --server.address 127.0.0.1 \
      --server.headless true --server.maxUploadSize "$AUDIT_MAX_UPLOAD_MB" --browser.gatherUsageStats false \
      --server.fileWatcherType none \
      >"$dir/replica-$i.log" 2>&1 </dev/null ) &
  echo $! >"$dir/replica-$i.pid"
  echo "$port" >"$dir/replica-$i.port"
}

start_cluster() {
  local n=${1:-2}
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { say "nginx 未安装（scripts/system-packages.sh）"; exit 1; }
  local nginx_bin; nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
  local dir; dir=$(mktemp -d /tmp/auditcluster.XXXXXX)
  trap 'say "启动失败，日志在 $dir"; stop_cluster "$dir"; exit 1' ERR
  eval "$(scripts/pg-temp.sh start)"
  echo "$PGTEST_DIR" >"$dir/pgdir"
  eval "$(scripts/s3-temp.sh start evidence)"
  echo "$S3TEST_DIR" >"$dir/s3dir"
  local limit=${AUDIT_MAX_UPLOAD_MB:-200}
  cat >"$dir/env" <<ENV
AUDIT_DATABASE_URL=$TEST_DATABASE_URL
AUDIT_DATA_DIR=$dir/data
AUDIT_STORE=s3
AUDIT_S3_ENDPOINT=$TEST_S3_ENDPOINT
AUDIT_S3_BUCKET=$TEST_S3_BUCKET
AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID
AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY
AUDIT_MIGRATE_ON_START=false
AUDIT_DEMO_DATA=${AUDIT_DEMO_DATA:-true}
AUDIT_MAX_UPLOAD_MB=$limit
ENV
  ( set -a; . "$dir/env"; set +a
    if "$PY" -m ops --help 2>/dev/null | grep -q migrate; then "$PY" -m ops migrate >"$dir/migrate.log" 2>&1
    else "$PY" -c 'import models_registry
from config import settings
from db import make_engine, migrate
migrate(make_engine(settings().effective_database_url))' >"$dir/migrate.log" 2>&1; fi
    if [ "$AUDIT_DEMO_DATA" = true ]; then  # once, before any replica could race to load it
      "$PY" -c 'import models_registry
from config import settings
from criteria.registry import DEFAULT_TREE_ID, TreeRegistry
from db import make_engine, session
from dossier.demo import load_demo_if_empty
with session(make_engine(settings().effective_database_url)) as s:
    load_demo_if_empty(s, TreeRegistry([settings().extra_trees_dir]).get(DEFAULT_TREE_ID))' >>"$dir/migrate.log" 2>&1
    fi )
  local ports="" servers=""
  for i in $(seq 1 "$n"); do
    local port; port=$(free_port)
    start_replica "$dir" "$i" "$port"
    ports="$ports $port"
    servers="${servers}server 127.0.0.1:$port max_fails=1 fail_timeout=10s; "
  done
  for i in $(seq 1 "$n"); do
    wait_ready "http://127.0.0.1:$(cat "$dir/replica-$i.port")/readyz" "$(cat "$dir/replica-$i.pid")" 120 \
      || { cat "$dir/replica-$i.log" >&2; false; }
  done
  local listen; listen=$(free_port)
  mkdir -p "$dir/nginx-temp"; chmod 755 "$dir"
  "$PY" - "$dir" "127.0.0.1:$listen" "$servers" "$limit" <<'PY'
import sys
from pathlib import Path
folder, listen, servers, limit = sys.argv[1:]
site = Path("deploy/nginx/audit.conf.template").read_text(encoding="utf-8")
for name, value in (("AUDIT_LISTEN", listen), ("AUDIT_UPSTREAM_SERVERS", servers), ("AUDIT_MAX_BODY_MB", limit)):
    site = site.replace("${%s}" % name, value)
temp = f"{folder}/nginx-temp"
Path(folder, "nginx.conf").write_text(f"""worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log {folder}/nginx-access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
{site}
}}
""", encoding="utf-8")
PY
  "$nginx_bin" -p "$dir" -c "$dir/nginx.conf" -e "$dir/nginx-error.log"  # daemonises; pid in $dir/nginx.pid
  wait_ready "http://127.0.0.1:$listen/healthz" "$(cat "$dir/nginx.pid")" 20
  trap - ERR
  echo "$dir" >"$LAST"
  say "集群已启动：http://127.0.0.1:$listen （${n} 个副本，PostgreSQL，SeaweedFS，nginx；停止：scripts/run-cluster.sh stop）"
  echo "export CLUSTER_DIR=$dir"
  echo "export CLUSTER_URL=http://127.0.0.1:$listen"
  echo "export CLUSTER_REPLICAS=\"${ports# }\""
}

case "${1:-start}" in
start) start_cluster "${2:-2}" ;;
stop) stop_cluster "${2:-$(cat "$LAST" 2>/dev/null || echo /nonexistent)}" ;;
kill-replica)
  dir=${3:-$(cat "$LAST")}
  pid=$(cat "$dir/replica-${2:?replica number}.pid")
  kill -9 -- "-$pid" 2>/dev/null || kill -9 "$pid"
  say "副本 $2 已终止"
  ;;
restart-replica)
  dir=${3:-$(cat "$LAST")}
  start_replica "$dir" "${2:?replica number}" "$(cat "$dir/replica-$2.port")"
  wait_ready "http://127.0.0.1:$(cat "$dir/replica-$2.port")/readyz" "$(cat "$dir/replica-$2.pid")" 120
  say "副本 $2 已重新启动"
  ;;
*) say "用法：scripts/run-cluster.sh [start [副本数] | stop [目录] | kill-replica N [目录] | restart-replica N [目录]]"; exit 2 ;;
esac
