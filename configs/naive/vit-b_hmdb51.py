# Naive adaptation of CLIP ViT-B/16, HMDB51 split 1 (ECCV 2024, Appendix A,
# the uncompressed row), with the Kinetics-400 (ViFi-CLIP) recipe.
_base_ = [
    '../_base_/models/naive_vit-b16.py',
    '../_base_/datasets/hmdb51_16x224_split1.py',
    '../_base_/schedules/adamw_30e_vifi-clip.py',
    '../_base_/default_runtime.py'
]
# ViFi-CLIP's regularisation (the schedule base) and CLIP's weights.
model = dict(
    _base_.vifi_clip_regularisation.hmdb51,
    backbone=dict(
        init_cfg=dict(type='Pretrained', checkpoint=_base_.clip_checkpoint)))
