# Ablation (ECCV 2024, Table 5a): token + global context.
_base_ = ['../vit-b_uniformerv2_k400.py']
model = dict(
    backbone=dict(compressor=dict(context_levels=('token', 'global'))))
