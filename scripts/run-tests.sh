#!/usr/bin/env bash
# Quick start, second command: install what the tests need (system packages too) and run the whole suite.
# Extra arguments go to pytest, e.g. scripts/run-tests.sh tests/unit -x
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/system-packages.sh
scripts/venv.sh requirements-dev.txt
export PYTHONDONTWRITEBYTECODE=1
.venv/bin/ruff check .
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  eval "$(scripts/pg-temp.sh start)"
  trap 'scripts/pg-temp.sh stop "$PGTEST_DIR"' EXIT
fi
# The browser tests must run, never be skipped: the e2e fixtures fail when Chromium is missing.
export AUDIT_REQUIRE_BROWSER=1
.venv/bin/python -m pytest -p no:cacheprovider "$@"
