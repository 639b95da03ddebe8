# Shared install steps for scripts/demo and scripts/test; sourced, not run.
# Installs only what is missing or changed, so a second run is fast.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
APT_UPDATED=0
apt_install() {
  # apt_install PACKAGE... : install the Debian packages that are missing.
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo ">> apt-get install ${missing[*]}"
  if [ "$APT_UPDATED" = 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
"$PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' \
  || { echo "CivicGrid needs Python 3.11 (found $("$PYTHON" --version))"; exit 1; }
"$PYTHON" -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv
command -v npm >/dev/null || apt_install nodejs npm

python_env() {
  # python_env REQUIREMENTS_FILE : a .venv with exactly the pinned packages.
  local req="$1" stamp=".venv/.installed-$(basename "$1")"
  [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
  local sum; sum="$(cat requirements*.txt constraints.txt | sha256sum | cut -c1-16)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
    echo ">> pip install -r $req"
    .venv/bin/pip install -q --disable-pip-version-check -r "$req" -c constraints.txt
    echo "$sum" > "$stamp"
  fi
}

node_assets() {
  local sum; sum="$(sha256sum package-lock.json | cut -c1-16)"
  if [ "$(cat node_modules/.installed 2>/dev/null)" != "$sum" ]; then
    echo ">> npm ci (htmx, Leaflet, ECharts)"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$sum" > node_modules/.installed
  fi
}
