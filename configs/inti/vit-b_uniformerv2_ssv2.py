# InTI + UniFormerV2's temporal modules, ViT-B/16, InTI after blocks 5 and 9,
# Something-Something V2 (ECCV 2024, Table 3: 234 GFLOPs). UniFormerV2's
# SSv2 model: local MHRA (two per block) in every block and 8 global
# UniBlocks reading the outputs of blocks 5-12 (see docs/reproduction.md).
_base_ = ['./vit-b_ssv2.py']
model = dict(
    backbone=dict(
        layer_cfgs=dict(
            type='LocalMHRALayer', dw_reduction=1.5, double_lmhra=True),
        global_uniblocks=dict(
            type='GlobalUniBlocks', num_layers=8, mlp_dropout=0.5)),
    cls_head=dict(type='UniFormerHead'))
