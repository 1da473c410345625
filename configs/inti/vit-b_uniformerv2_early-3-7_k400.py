# InTI early + UniFormerV2 modules, ViT-B/16, Kinetics-400 (ECCV 2024, Table
# 1).
_base_ = ['./vit-b_uniformerv2_k400.py']
model = dict(backbone=dict(inti_layers=(3, 7)))
