# UniFormerV2-B/16 (Li et al., ICCV 2023) on Something-Something V2: CLIP
# ViT-B/16 with UniFormerV2's local MHRA and 8 global UniBlocks, no
# compression (ECCV 2024, Table 3, "UniFormerV2-B": 371 GFLOPs, 163 M).
# InTI's SSv2 model without its compressor, so both rows share one recipe.
_base_ = ['../inti/vit-b_uniformerv2_ssv2.py']
model = dict(backbone=dict(compressor=None))
