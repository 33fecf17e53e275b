#!/usr/bin/env bash
# Quick start, first command: install what the app needs and run it on the embedded default (SQLite, ./data).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/venv.sh requirements.txt
exec .venv/bin/python -m streamlit run audit_app.py "$@"
