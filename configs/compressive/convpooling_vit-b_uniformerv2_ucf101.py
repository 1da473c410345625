# Baseline: ConvPooling in place of InTI (after blocks 5 and 9, halving T)
# with UniFormerV2's global UniBlocks, ViT-B/16, UCF101 split 1 (ECCV 2024,
# Appendix A).
_base_ = ['../inti/vit-b_uniformerv2_ucf101.py']
model = dict(backbone=dict(compressor=dict(_delete_=True, type='ConvPooling')))
