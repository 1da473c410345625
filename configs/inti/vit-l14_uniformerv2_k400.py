# InTI + UniFormerV2's global UniBlocks, ViT-L/14, InTI after blocks 10 and
# 16, Kinetics-400 (ECCV 2024, Tables 1-2).
_base_ = ['./vit-l14_k400.py']
model = dict(
    backbone=dict(
        global_uniblocks=dict(
            type='GlobalUniBlocks', num_layers=4, mlp_dropout=0.5)),
    cls_head=dict(type='UniFormerHead'))
