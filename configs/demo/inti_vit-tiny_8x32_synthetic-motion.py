# InTI (tiny ViT) on the built-in synthetic motion videos (CPU); compare with
# naive_vit-tiny_8x32_synthetic-motion.py, which cannot tell the direction.
_base_ = [
    '../_base_/models/inti_vit-b16.py',
    '../_base_/datasets/synthetic_motion.py',
    '../_base_/schedules/adamw_synthetic.py', '../_base_/default_runtime.py'
]
model = dict(
    backbone=dict(
        arch='tiny', patch_size=8, img_size=32, num_frames=8,
        inti_layers=(1, 2)),
    cls_head=dict(num_classes=6, in_channels=64, dropout_ratio=0.))
default_hooks = dict(logger=dict(interval=10))
