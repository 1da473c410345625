# Baseline: ToMe as its paper (r tokens of every frame merged in every block,
# r in configs/_base_/models/tome_sta_layers.py) with UniFormerV2's global
# UniBlocks, ViT-B/16, UCF101 split 1 (ECCV 2024, Appendix A).
_base_ = [
    '../inti/vit-b_uniformerv2_ucf101.py',
    '../_base_/models/tome_sta_layers.py'
]
model = dict(backbone=dict(compressor=None, layer_cfgs=_base_.tome_layers))
