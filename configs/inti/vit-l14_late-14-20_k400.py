# InTI late: ViT-L/14, InTI after blocks 14 and 20, Kinetics-400 (ECCV 2024,
# Table 1).
_base_ = ['./vit-l14_k400.py']
model = dict(backbone=dict(inti_layers=(14, 20)))
