# Ablation (ECCV 2024, Table 5b): sigmoid prediction head.
_base_ = ['../vit-b_uniformerv2_k400.py']
model = dict(backbone=dict(compressor=dict(head='sigmoid')))
