# CLIP ViT-B/16 with InTI after blocks 5 and 9 (ECCV 2024, Table 1): the
# naive model (same weights, head and preprocessing) with InTI inserted.
_base_ = ['./naive_vit-b16.py']
model = dict(
    backbone=dict(
        type='InTIViT',
        inti_layers=(5, 9),
        compressor=dict(
            type='InterFrameTokenInterpolation',
            context_levels=('token', 'cube', 'frame', 'global'),
            fusion='sep',
            head='softmax')))
