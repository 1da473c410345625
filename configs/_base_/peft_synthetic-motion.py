# What the tiny PEFT classifiers on the synthetic motion videos share
# (configs/peft/*_synthetic-motion.py): data, schedule, runtime, and the
# Recognizer3D parts as variables. MMEngine refuses two bases that both set
# `model`; the encoder config (blip_encoders/) sets it (with what the encoder
# trains), so this file names the rest and each experiment config assembles
# it. The classification head always trains.
_base_ = [
    './models/vit_tiny.py', './datasets/synthetic_motion.py',
    './schedules/adamw_synthetic.py', './default_runtime.py'
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
# The synthetic schedule, without its gradient clipping.
optim_wrapper = dict(
    _delete_=True, optimizer=dict(type='AdamW', lr=1e-3, weight_decay=0.05))
default_hooks = dict(logger=dict(interval=10))
