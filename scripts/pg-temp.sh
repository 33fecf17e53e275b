#!/usr/bin/env bash
# A throwaway PostgreSQL server in a temp folder, for the tests.
# usage: eval "$(scripts/pg-temp.sh start)"  -> exports PGTEST_DIR and TEST_DATABASE_URL
#        scripts/pg-temp.sh stop "$PGTEST_DIR"
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL server is not installed" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-start}" in
start)
  dir=$(mktemp -d /tmp/pgtest.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U postgres audit_test
  echo "export PGTEST_DIR=$dir"
  echo "export TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:$port/audit_test"
  ;;
stop)
  as_pg "$PGBIN/pg_ctl" -D "${2:?dir}/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$2"
  ;;
esac
