# Ablation (ECCV 2024, Table 5b): 'Cat All' feature fusion.
_base_ = ['../vit-b_uniformerv2_k400.py']
model = dict(backbone=dict(compressor=dict(fusion='cat')))
