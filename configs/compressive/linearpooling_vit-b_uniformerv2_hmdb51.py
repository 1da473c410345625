# Baseline: LinearPooling in place of InTI (after blocks 5 and 9, halving T)
# with UniFormerV2's global UniBlocks, ViT-B/16, HMDB51 split 1 (ECCV 2024,
# Appendix A).
_base_ = ['../inti/vit-b_uniformerv2_hmdb51.py']
model = dict(
    backbone=dict(compressor=dict(_delete_=True, type='LinearPooling')))
