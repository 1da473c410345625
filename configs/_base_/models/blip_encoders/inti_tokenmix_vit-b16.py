# InTI + Token Mixing (this code base; neither paper has it): BLIP's ViT-B/16
# compressed by InTI after blocks 5 and 9 (8 -> 4 -> 2 frames, 0.65x the
# GFLOPs of the token-mixing encoder on the same 8 frames, see model_zoo.md)
# with token mixing in the last layer, whose mosaic takes patch p from
# compressed frame p mod 2. Trained in the encoder: the InTI modules and the
# token-mixing layer (the token-mixing recipe's encoder part).
_base_ = ['./tokenmix_vit-b16.py']
model = dict(
    backbone=dict(
        type='InTIViT',
        inti_layers=(5, 9),
        compressor=dict(
            type='InterFrameTokenInterpolation',
            context_levels=('token', 'cube', 'frame', 'global'),
            fusion='sep',
            head='softmax'),
        trainable=['between_blocks', 'TokenMixLayer']))
