# Ablation (ECCV 2024, Table 3.2): no temporal position embedding (Eq. 8).
_base_ = ['../vit-b_uniformerv2_k400.py']
model = dict(backbone=dict(compressor=dict(temporal_embedding=False)))
