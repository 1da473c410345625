# Baseline: STA as its paper (r tokens of every frame pruned after blocks 1, 5
# and 9, r in configs/_base_/models/tome_sta_layers.py) with UniFormerV2's
# global UniBlocks, ViT-B/16, Kinetics-400 (ECCV 2024, Table 2).
_base_ = [
    '../inti/vit-b_uniformerv2_k400.py', '../_base_/models/tome_sta_layers.py'
]
model = dict(backbone=dict(compressor=None, layer_cfgs=_base_.sta_layers))
