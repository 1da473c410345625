# InTI late: ViT-B/16, InTI after blocks 7 and 11, Kinetics-400 (ECCV 2024,
# Table 1).
_base_ = ['./vit-b_k400.py']
model = dict(backbone=dict(inti_layers=(7, 11)))
