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
    '../_base_/default_runtime.py'
]
model = _base_.tiny_captioner

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=30, val_interval=30)
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=3e-3, weight_decay=0.01),
    clip_grad=dict(max_norm=5, norm_type=2))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.1,
        by_epoch=True,
        begin=0,
        end=1,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        T_max=29,
        eta_min=1e-5,
        by_epoch=True,
        begin=1,
        end=30)
]
default_hooks = dict(
    logger=dict(interval=18), checkpoint=dict(interval=30, save_best=None))
