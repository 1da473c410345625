# InTI + UniFormerV2's global UniBlocks, ViT-B/16, InTI after blocks 5 and 9,
# Kinetics-400: the paper's best ViT-B model (ECCV 2024, Tables 1-2).
# On Kinetics UniFormerV2 uses its global UniBlocks only (no local MHRA,
# as MMAction2's UniFormerV2 Kinetics configs: no_lmhra=True).
_base_ = ['./vit-b_k400.py']
model = dict(
    backbone=dict(
        global_uniblocks=dict(
            type='GlobalUniBlocks', num_layers=4, mlp_dropout=0.5)),
    cls_head=dict(type='UniFormerHead'))
