# The tiny captioner of tokenmix_blip-tiny_synthetic-caption.py with InTI
# after blocks 2 and 3 of its 4 (8 -> 4 -> 2 frames; the token-mixing layer,
# the last, mixes the 2 compressed frames): InTI + Token Mixing on the
# built-in synthetic videos, on CPU, trained from scratch as that demo:
#   python tools/train.py configs/demo/inti-tokenmix_blip-tiny_synthetic-caption.py
_base_ = ['./tokenmix_blip-tiny_synthetic-caption.py']
model = dict(
    backbone=dict(
        type='InTIViT',
        inti_layers=(2, 3),
        compressor=dict(type='InterFrameTokenInterpolation')))
