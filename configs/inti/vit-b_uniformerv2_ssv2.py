# InTI + UniFormerV2's temporal modules, ViT-B/16, InTI after blocks 5 and 9,
# Something-Something V2, 8 GPUs x 8 clips (ECCV 2024, Table 3): on SSv2
# UniFormerV2 adds its local MHRA (two per block) to the global UniBlocks.
_base_ = [
    '../_base_/models/inti_vit-b16.py',
    '../_base_/datasets/ssv2_16x224_uniformerv2.py',
    '../_base_/schedules/adamw_50e_uniformerv2-ssv2.py',
    '../_base_/default_runtime.py'
]
model = dict(
    backbone=dict(
        layer_cfgs=dict(
            type='LocalMHRALayer', dw_reduction=1.5, double_lmhra=True),
        global_uniblocks=dict(
            type='GlobalUniBlocks', num_layers=4, mlp_dropout=0.5),
        init_cfg=dict(type='Pretrained', checkpoint=_base_.clip_checkpoint)),
    cls_head=dict(type='UniFormerHead', num_classes=174))
