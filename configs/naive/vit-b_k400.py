# Naive adaptation of CLIP ViT-B/16 (frames independently, mean of [CLS]),
# Kinetics-400, 16x224^2, 8 GPUs x 8 clips x 4 accumulated steps
# (ECCV 2024, Table 1: 281 GFLOPs).
_base_ = [
    '../_base_/models/naive_vit-b16.py',
    '../_base_/datasets/k400_16x224_vifi-clip.py',
    '../_base_/schedules/adamw_30e_vifi-clip.py',
    '../_base_/default_runtime.py'
]
# ViFi-CLIP's regularisation (the schedule base) and CLIP's weights.
model = dict(
    _base_.vifi_clip_regularisation.k400,
    backbone=dict(
        init_cfg=dict(type='Pretrained', checkpoint=_base_.clip_checkpoint)))
