# InTI (tiny ViT) on the built-in synthetic motion videos (CPU): the naive
# demo's data and schedule, with InTI after blocks 1 and 2 (8 -> 4 -> 2
# frames). The naive model averages its frames and cannot tell the
# direction classes apart; InTI's weights read each frame pair in order.
_base_ = ['./naive_vit-tiny_8x32_synthetic-motion.py']
model = dict(
    backbone=dict(
        type='InTIViT',
        inti_layers=(1, 2),
        compressor=dict(type='InterFrameTokenInterpolation')))
