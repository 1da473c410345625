# Baseline: STA as its paper (r tokens of every frame pruned after blocks 1, 5
# and 9, _base_/tome_sta.py) with UniFormerV2's global UniBlocks, ViT-B/16,
# Kinetics-400 (ECCV 2024, Table 2).
_base_ = ['../inti/vit-b_uniformerv2_k400.py', './_base_/tome_sta.py']
model = dict(backbone=dict(compressor=None, layer_cfgs=_base_.sta_layers))
