# InTI late + UniFormerV2 modules, ViT-L/14, Kinetics-400 (ECCV 2024, Table 1).
_base_ = ['./vit-l14_uniformerv2_k400.py']
model = dict(backbone=dict(inti_layers=(14, 20)))
