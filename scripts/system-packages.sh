#!/usr/bin/env bash
# Install the Debian packages the tests need (browser, office suite, CJK fonts, PostgreSQL, nginx for
# scripts/run-cluster.sh) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
packages="chromium libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-noto-cjk fonts-liberation2 postgresql nginx"
need=""
for p in $packages; do dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"; done
if [ -n "$need" ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "Installing system packages:$need" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends $need >/dev/null
  rm -rf ~/.cache/matplotlib   # a font cache from before the CJK fonts would hide them
fi
# Word documents name SimSun / SimHei; map them to the Noto CJK faces so PDFs show Chinese glyphs.
conf=/etc/fonts/conf.d/99-audit-cjk-aliases.conf
if ! cmp -s scripts/cjk-aliases.conf "$conf" 2>/dev/null; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo install -m 644 scripts/cjk-aliases.conf "$conf" && fc-cache -f >/dev/null
fi
