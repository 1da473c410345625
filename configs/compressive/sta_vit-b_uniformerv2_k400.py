# Baseline: TemporalAccumulationPruning at InTI's insertion points (after
# blocks 5 and 9) with UniFormerV2's global UniBlocks, ViT-B/16, Kinetics-400
# (ECCV 2024, Table 2). keep_ratio matches the paper's 192 GFLOPs (see
# model_zoo.md).
_base_ = ['../inti/vit-b_uniformerv2_k400.py']
model = dict(
    backbone=dict(
        compressor=dict(
            _delete_=True,
            type='TemporalAccumulationPruning',
            keep_ratio=0.535)))
