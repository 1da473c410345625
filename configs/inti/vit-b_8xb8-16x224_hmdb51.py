# InTI, ViT-B/16, InTI after blocks 5 and 9, HMDB51 split 1
# (ECCV 2024, Appendix A), with the Kinetics-400 (ViFi-CLIP) recipe.
_base_ = [
    '../_base_/models/inti_vit-b16.py',
    '../_base_/datasets/hmdb51_16x224_split1.py',
    '../_base_/schedules/adamw_30e_vifi-clip.py',
    '../_base_/default_runtime.py'
]
num_classes = 51
model = dict(
    backbone=dict(init_cfg=dict(type='Pretrained',
                                checkpoint=_base_.clip_checkpoint)),
    cls_head=dict(num_classes=num_classes, label_smooth_eps=0.1),
    data_preprocessor=dict(
        blending=dict(
            type='RandomBatchAugment',
            augments=[
                dict(type='MixupBlending', alpha=0.8, num_classes=num_classes),
                dict(type='CutmixBlending', alpha=1., num_classes=num_classes)
            ])))
