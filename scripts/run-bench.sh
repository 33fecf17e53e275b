#!/usr/bin/env bash
# The benchmarks in one command: install what they need (Chromium, the test packages with Playwright) when
# missing, then run them and write bench/results.md. Extra arguments go to `python -m bench`, e.g. --small.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/system-packages.sh
scripts/venv.sh requirements-dev.txt
exec .venv/bin/python -m bench "$@"
