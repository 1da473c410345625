# InTI + UniFormerV2's global UniBlocks, ViT-B/16, InTI after blocks 5 and 9,
# HMDB51 split 1 (ECCV 2024, Appendix A): the Kinetics-400 model
# (vit-b_uniformerv2_k400.py) on HMDB51.
_base_ = ['./vit-b_hmdb51.py']
model = dict(
    backbone=dict(
        global_uniblocks=dict(
            type='GlobalUniBlocks', num_layers=4, mlp_dropout=0.5)),
    cls_head=dict(type='UniFormerHead'))
