# Naive adaptation of CLIP ViT-B/16 (frames independently, mean of [CLS]),
# Kinetics-400, 16x224^2, 8 GPUs x 8 clips x 4 accumulated steps
# (ECCV 2024, Table 1: 281 GFLOPs).
_base_ = [
    '../_base_/models/naive_vit-b16.py',
    '../_base_/datasets/k400_16x224_vifi-clip.py',
    '../_base_/schedules/adamw_30e_vifi-clip.py',
    '../_base_/default_runtime.py'
]

# ViFi-CLIP's regularisation: label smoothing 0.1, mixup 0.8 / cutmix 1.0.
num_classes = 400
model = dict(
    backbone=dict(init_cfg=dict(type='Pretrained',
                                checkpoint=_base_.clip_checkpoint)),
    cls_head=dict(label_smooth_eps=0.1),
    data_preprocessor=dict(
        blending=dict(
            type='RandomBatchAugment',
            augments=[
                dict(type='MixupBlending', alpha=0.8, num_classes=num_classes),
                dict(type='CutmixBlending', alpha=1., num_classes=num_classes)
            ])))
