# Naive adaptation of CLIP ViT-B/16, Something-Something V2 (ECCV 2024,
# Table 3, "Native-B"), UniFormerV2's SSv2 recipe.
_base_ = [
    '../_base_/models/naive_vit-b16.py',
    '../_base_/datasets/ssv2_16x224_uniformerv2.py',
    '../_base_/schedules/adamw_50e_uniformerv2-ssv2.py',
    '../_base_/default_runtime.py'
]
model = dict(
    backbone=dict(
        init_cfg=dict(type='Pretrained', checkpoint=_base_.clip_checkpoint)),
    cls_head=dict(num_classes=174))
