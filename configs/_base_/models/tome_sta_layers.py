# ToMe and STA as their papers set them up ("following the settings described
# in their papers", InTI l.134), on CLIP ViT-B/16 with 16 frames of 224^2, r
# chosen so that each costs InTI + UniFormerV2's Kinetics-400 GFLOPs within
# 2 % (docs/reproduction.md 2.2; measured in configs/compressive/metafile.yml).
# Variables only, joined with an InTI + UniFormerV2 config by
# configs/compressive/{tome,sta}_vit-b_uniformerv2_{k400,ucf101,hmdb51}.py.

# ToMe (Bolya et al., ICLR 2023): r tokens of every frame merged in every
# block, by keys, with proportional attention.
tome_layers = dict(type='ToMeLayer', r=11)
# STA (Ding et al., ICCV 2023): r tokens of every frame pruned after blocks
# 1, depth/3 + 1 and 2 depth/3 + 1 (1, 5, 9), the frames scored last to first
# at the second stage (as its released code).
sta_layers = [
    dict(type='STALayer', r=40, layers=[0, 8]),
    dict(type='STALayer', r=40, reverse=True, layers=[4])
]
