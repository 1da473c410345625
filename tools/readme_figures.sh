#!/usr/bin/env bash
# Regenerate the figures the README quotes: train and test the naive and
# the InTI demo (tools/run_demo.sh: seed 0, one thread, so every run prints
# the same numbers), recognise one synthetic video with demo/demo.py, then
# train the tiny captioner and retriever and run their demos.
#
# Usage: bash tools/readme_figures.sh [WORK_ROOT]   (default: work_dirs)
#   PYTHON    the interpreter (default: .venv/bin/python)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
WORK_ROOT=${1:-work_dirs}
export PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
NAIVE=configs/demo/naive_vit-tiny_synthetic-motion.py
INTI=configs/demo/inti_vit-tiny_synthetic-motion.py
CAPTION=configs/demo/tokenmix_blip-tiny_synthetic-caption.py
RETRIEVAL=configs/demo/tokenmix_blip-tiny_synthetic-retrieval.py
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1

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
"$PYTHON" demo/demo.py \
    data/synthetic_motion_demo/videos/val_00000.mp4 "$NAIVE" \
    "$(cat "$WORK_ROOT/demo/last_checkpoint")" 2>/dev/null

for TASK in caption retrieval; do
    CONFIG=configs/demo/tokenmix_blip-tiny_synthetic-$TASK.py
    "$PYTHON" tools/train.py "$CONFIG" --work-dir "$WORK_ROOT/demo_$TASK" \
        --seed 0 > "$WORK_ROOT/demo_$TASK.log" 2>&1 &
done
wait
echo "demo/demo_caption.py on data/synthetic_motion/videos/val_00000.mp4:"
"$PYTHON" demo/demo_caption.py data/synthetic_motion/videos/val_00000.mp4 \
    "$CAPTION" "$(cat "$WORK_ROOT/demo_caption/last_checkpoint")" 2>/dev/null
echo "demo/demo_retrieval.py on data/synthetic_motion/videos:"
"$PYTHON" demo/demo_retrieval.py data/synthetic_motion/videos \
    "a red circle moves to the left" "$RETRIEVAL" \
    "$(cat "$WORK_ROOT/demo_retrieval/last_checkpoint")" 2>/dev/null
