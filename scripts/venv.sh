#!/usr/bin/env bash
# Create .venv if missing and install a requirements file into it, skipping pip when nothing changed.
# usage: scripts/venv.sh requirements.txt
set -euo pipefail
cd "$(dirname "$0")/.."
req=${1:-requirements.txt}
[ -x .venv/bin/python ] || python3 -m venv .venv
stamp=".venv/.installed-$(cat requirements*.txt | sha256sum | cut -c1-16)-$(basename "$req")"
if [ ! -f "$stamp" ]; then
  echo "Installing Python packages from $req ..." >&2
  .venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v "is ignored" >&2 || true
  .venv/bin/python -m pip install -q -r "$req" 2>&1 | grep -v "is ignored" >&2 || true
  .venv/bin/python -m pip check >/dev/null   # fail here, not later, if the install was incomplete
  touch "$stamp"
fi
