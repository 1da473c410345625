# InTI early: ViT-B/16, InTI after blocks 3 and 7, Kinetics-400 (ECCV 2024,
# Table 1).
_base_ = ['./vit-b_k400.py']
model = dict(backbone=dict(inti_layers=(3, 7)))
