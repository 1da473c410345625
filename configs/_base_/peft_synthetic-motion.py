# What the tiny PEFT classifiers on the synthetic motion videos share
# (configs/peft/*_synthetic-motion.py): data, schedule, runtime, and the
# Recognizer3D parts as variables. MMEngine refuses two bases that both set
# `model`; the encoder config (blip_encoders/) sets it (with what the encoder
# trains), so this file names the rest and each experiment config assembles
# it. The classification head always trains.
_base_ = [
    './models/vit_tiny.py', './datasets/synthetic_motion.py',
    './default_runtime.py'
]

# The tiny ViT (models/vit_tiny.py) but 12 layers deep, so that the encoder
# configs' layer indices (ViT-B's) hold unchanged.
recognizer = dict(
    _base_.tiny_recognizer,
    backbone=dict(
        _base_.tiny_recognizer.backbone,
        arch=dict(
            _delete_=True,  # replaces the encoder config's arch='b'
            embed_dims=64,
            num_layers=12,
            num_heads=4,
            feedforward_channels=256)))
optim_wrapper = dict(optimizer=dict(type='AdamW', lr=1e-3, weight_decay=0.05))

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=12, val_interval=4)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
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
default_hooks = dict(logger=dict(interval=10))
