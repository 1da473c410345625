# Baseline: TemporalAccumulationPruning at InTI's insertion points (after
# blocks 5 and 9) with UniFormerV2's global UniBlocks, ViT-B/16, UCF101
# split 1 (ECCV 2024, Appendix A); the compressor as
# sta_vit-b_uniformerv2_k400.py.
_base_ = ['../inti/vit-b_uniformerv2_ucf101.py']
model = dict(
    backbone=dict(
        compressor=dict(
            _delete_=True,
            type='TemporalAccumulationPruning',
            keep_ratio=0.535)))
