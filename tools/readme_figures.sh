#!/usr/bin/env bash
# Regenerate the figures the README quotes: train and test the naive and
# the InTI demo (tools/run_demo.sh: seed 0, one thread, so every run prints
# the same numbers), then recognise one synthetic video with demo/demo.py.
#
# Usage: bash tools/readme_figures.sh [WORK_ROOT]   (default: work_dirs)
#   PYTHON    the interpreter (default: .venv/bin/python)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
WORK_ROOT=${1:-work_dirs}
export PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
NAIVE=configs/demo/naive_vit-tiny_8x32_synthetic-motion.py
INTI=configs/demo/inti_vit-tiny_8x32_synthetic-motion.py

mkdir -p "$WORK_ROOT"
# The two trainings run side by side (one thread each) and log to files.
bash tools/run_demo.sh "$NAIVE" "$WORK_ROOT/demo" > "$WORK_ROOT/demo.log" 2>&1 &
NAIVE_PID=$!
bash tools/run_demo.sh "$INTI" "$WORK_ROOT/demo_inti" \
    > "$WORK_ROOT/demo_inti.log" 2>&1
wait $NAIVE_PID
echo "naive: $(grep 'Demo test accuracy' "$WORK_ROOT/demo.log")"
echo "InTI:  $(grep 'Demo test accuracy' "$WORK_ROOT/demo_inti.log")"
echo "demo/demo.py on data/synthetic_motion_demo/videos/val_00000.mp4 (naive):"
OMP_NUM_THREADS=1 "$PYTHON" demo/demo.py \
    data/synthetic_motion_demo/videos/val_00000.mp4 "$NAIVE" \
    "$(cat "$WORK_ROOT/demo/last_checkpoint")" 2>/dev/null
