# InTI, CLIP ViT-B/16, InTI after blocks 5 and 9, Something-Something V2,
# 16x224^2, 8 GPUs x 8 clips, UniFormerV2's SSv2 recipe (ECCV 2024,
# Table 3 and Appendix D).
_base_ = [
    '../_base_/models/inti_vit-b16.py',
    '../_base_/datasets/ssv2_16x224_uniformerv2.py',
    '../_base_/schedules/adamw_50e_uniformerv2-ssv2.py',
    '../_base_/default_runtime.py'
]
model = dict(
    backbone=dict(
        init_cfg=dict(type='Pretrained', checkpoint=_base_.clip_checkpoint)),
    cls_head=dict(num_classes=174))
