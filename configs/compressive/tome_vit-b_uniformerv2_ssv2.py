# Baseline: ToMe as its paper (r tokens of every frame merged in every block)
# with UniFormerV2's SSv2 modules, ViT-B/16, Something-Something V2 (ECCV 2024,
# Table 3). The local MHRA of every block runs on the patch grid rebuilt from
# the merged tokens (docs/reproduction.md 2.2), at the grid's cost, so r is
# larger than on Kinetics (14, not 11) to cost InTI's GFLOPs within 2 %.
_base_ = ['../inti/vit-b_uniformerv2_ssv2.py']
# merged over the base's LocalMHRALayer: dw_reduction and double_lmhra kept
model = dict(
    backbone=dict(compressor=None, layer_cfgs=dict(type='ToMeLayer', r=14)))
