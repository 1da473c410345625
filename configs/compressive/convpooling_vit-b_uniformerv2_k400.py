# Baseline: ConvPooling in place of InTI (after blocks 5 and 9, halving T) with
# UniFormerV2's global UniBlocks, ViT-B/16, Kinetics-400 (ECCV 2024,
# Table 2).
_base_ = ['../inti/vit-b_uniformerv2_k400.py']
model = dict(backbone=dict(compressor=dict(_delete_=True, type='ConvPooling')))
