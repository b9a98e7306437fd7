# Sourced by bin/run and bin/test: make .venv (with Python 3.11+) and install a
# requirements file into it when the file changed since the last install.
set -euo pipefail

find_python() {
  for candidate in python3.11 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  echo "TOT Platform needs Python 3.11 or newer on PATH." >&2
  return 1
}

ensure_venv() {
  local requirements="$1"
  if [ ! -x .venv/bin/python ]; then
    echo "Creating .venv ..."
    "$(find_python)" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
  fi
  local stamp=".venv/.installed-$(basename "$requirements")"
  if [ ! -f "$stamp" ] || ! cmp -s "$requirements" "$stamp" ||
    { [ "$requirements" != requirements.txt ] && ! cmp -s requirements.txt "$stamp.base"; }; then
    echo "Installing $requirements into .venv ..."
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$stamp"
    cp requirements.txt "$stamp.base"
  fi
  export PATH="$PWD/.venv/bin:$PATH"
}
