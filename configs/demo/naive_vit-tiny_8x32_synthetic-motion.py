# Naive per-frame ViT (tiny) on the built-in synthetic motion videos (CPU).
_base_ = [
    '../_base_/models/naive_vit-b16.py',
    '../_base_/datasets/synthetic_motion.py',
    '../_base_/schedules/adamw_synthetic.py', '../_base_/default_runtime.py'
]
model = dict(
    backbone=dict(arch='tiny', patch_size=8, img_size=32, num_frames=8),
    cls_head=dict(num_classes=6, in_channels=64, dropout_ratio=0.))
default_hooks = dict(logger=dict(interval=10))
