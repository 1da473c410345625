# Baseline: ConvPooling in place of InTI (after blocks 5 and 9, halving T)
# with UniFormerV2's SSv2 modules, ViT-B/16, Something-Something V2
# (ECCV 2024, Table 3).
_base_ = ['../inti/vit-b_uniformerv2_ssv2.py']
model = dict(backbone=dict(compressor=dict(_delete_=True, type='ConvPooling')))
