# Ablation of the ToMe baseline: one ToMe merge (feature similarity, no
# proportional attention) at InTI's insertion points (after blocks 5 and 9),
# keep_ratio set to the paper's 192 GFLOPs, UniFormerV2's global UniBlocks,
# ViT-B/16, Kinetics-400. The repository's ToMe baseline before issue 12.
_base_ = ['../../inti/vit-b_uniformerv2_k400.py']
model = dict(
    backbone=dict(
        compressor=dict(_delete_=True, type='TokenMerging', keep_ratio=0.535)))
