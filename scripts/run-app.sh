#!/usr/bin/env bash
# Quick start, first command: install what the app needs and run it on the embedded default (SQLite, ./data).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/venv.sh requirements.txt
# The embedded default shows the demo data and demo accounts; AUDIT_DEMO_DATA=false starts without them.
export AUDIT_DEMO_DATA=${AUDIT_DEMO_DATA:-true}
.venv/bin/python -m config   # every setting checked before the app starts; exits 2 with the list of bad ones
# Streamlit's own upload limit follows the app's setting (AUDIT_MAX_UPLOAD_MB)
limit=$(.venv/bin/python -c "from config import settings; print(settings().max_upload_mb)")
exec .venv/bin/python -m streamlit run serve.py --server.maxUploadSize "$limit" "$@"
