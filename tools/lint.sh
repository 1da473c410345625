#!/usr/bin/env bash
# OpenMMLab's lint checks (settings in setup.cfg), offline, from the venv.
# Usage: bash tools/lint.sh [--fix]   (--fix rewrites files with isort/yapf)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${VENV_DIR:-$ROOT/.venv}/bin/python
cd "$ROOT"
PATHS=(mmvidlm tools tests configs setup.py)
[ -d demo ] && PATHS+=(demo)
if [ "${1:-}" = "--fix" ]; then
    "$PY" -m isort "${PATHS[@]}"
    "$PY" -m yapf -i -r "${PATHS[@]}"
fi
"$PY" -m flake8 "${PATHS[@]}"
"$PY" -m isort --check-only --diff "${PATHS[@]}"
"$PY" -m yapf --diff -r "${PATHS[@]}"
echo "Lint passed: flake8, isort and yapf found nothing to change."
