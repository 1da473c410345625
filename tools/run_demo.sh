#!/usr/bin/env bash
# Train and test the demo on the built-in synthetic videos, print accuracy.
#
# Usage: bash tools/run_demo.sh [CONFIG] [WORK_DIR]
#   CONFIG    default: configs/demo/naive_vit-tiny_8x32_synthetic-motion.py
#   WORK_DIR  default: work_dirs/demo
#   PYTHON    the interpreter (default: .venv/bin/python, see setup_env.sh)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
CONFIG=${1:-configs/demo/naive_vit-tiny_8x32_synthetic-motion.py}
WORK_DIR=${2:-work_dirs/demo}
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
PREDICTIONS="$WORK_DIR/test_predictions.pkl"

"$PYTHON" tools/train.py "$CONFIG" --work-dir "$WORK_DIR" --seed 0
"$PYTHON" tools/test.py "$CONFIG" "$(cat "$WORK_DIR/last_checkpoint")" \
    --work-dir "$WORK_DIR" --dump "$PREDICTIONS"
"$PYTHON" - "$PREDICTIONS" <<'PY'
import sys

from mmengine.fileio import load

from mmvidlm.evaluation import accuracy_by_group

acc = accuracy_by_group(load(sys.argv[1]))
print('Demo test accuracy: top1={top1:.2f} (appearance {appearance:.2f}, '
      'motion {motion:.2f}; direction within motion pairs {direction:.2f})'
      .format(**acc))
PY
