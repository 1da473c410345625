# A tiny Token Mixing captioner (BLIP architecture) trained from scratch on
# the built-in synthetic videos, on CPU in a few minutes:
#   python tools/train.py configs/demo/tokenmix_blip-tiny_synthetic-caption.py
# (on a shared, loaded machine set OMP_NUM_THREADS=1: with the default two
# threads a step took over 10 s there, with one thread 0.3-0.5 s).
# No download (see the tiny base). Everything is trained: with no
# pre-trained BLIP the paper's partial fine-tuning (token-mixing layer + LP +
# LH, the real configs) would leave a random encoder and decoder, so the demo
# fine-tunes the whole model, with a higher learning rate and more steps than
# BLIP's.
_base_ = [
    '../_base_/models/blip_tiny.py', '../_base_/datasets/synthetic_caption.py',
    '../_base_/schedules/adamw_blip-tiny_synthetic.py',
    '../_base_/default_runtime.py'
]
model = _base_.tiny_captioner

optim_wrapper = dict(optimizer=dict(lr=3e-3))
default_hooks = dict(
    logger=dict(interval=18), checkpoint=dict(interval=30, save_best=None))
