# InTI + UniFormerV2's global UniBlocks, ViT-B/16, Kinetics-400, with the
# weight predictor at the full width C' = C = 768 instead of C / 8: the
# width that matches the paper's parameter count (126 M, ECCV 2024,
# Table 2) at a higher cost than its 184 GFLOPs (docs/reproduction.md,
# issue 12 item 12).
_base_ = ['../vit-b_uniformerv2_k400.py']
model = dict(backbone=dict(compressor=dict(reduced_dims=768)))
