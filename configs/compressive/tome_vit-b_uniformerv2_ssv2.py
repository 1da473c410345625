# Baseline: TokenMerging at InTI's insertion points (after blocks 5 and 9)
# with UniFormerV2's SSv2 modules, ViT-B/16, Something-Something V2
# (ECCV 2024, Table 3); the compressor as tome_vit-b_uniformerv2_k400.py.
# The local MHRA convolves the patch grid over time, which the token reducer
# breaks: it stays in blocks 1-5, before the first reduction.
_base_ = ['../inti/vit-b_uniformerv2_ssv2.py']
model = dict(
    backbone=dict(
        layer_cfgs=dict(layers=[0, 1, 2, 3, 4]),
        compressor=dict(_delete_=True, type='TokenMerging', keep_ratio=0.535)))
