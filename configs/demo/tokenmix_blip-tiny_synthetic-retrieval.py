# A tiny Token Mixing text-video retriever (BLIP architecture) trained from
# scratch on the built-in synthetic videos, on CPU:
#   python tools/train.py configs/demo/tokenmix_blip-tiny_synthetic-retrieval.py
_base_ = [
    '../_base_/models/blip_tiny.py',
    '../_base_/datasets/synthetic_retrieval.py', '../_base_/default_runtime.py'
]
model = _base_.tiny_retriever

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=12, val_interval=12)
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=1e-3, weight_decay=0.01),
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
        T_max=11,
        eta_min=1e-5,
        by_epoch=True,
        begin=1,
        end=12)
]
default_hooks = dict(
    logger=dict(interval=6), checkpoint=dict(interval=12, save_best=None))
