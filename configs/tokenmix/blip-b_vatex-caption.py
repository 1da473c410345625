# Token Mixing, BLIP ViT-B/16, VATEX captioning: 8 frames at 224x224, token
# mixing in the last layer; trained: that layer, the visual projection (LP) and
# the language head (LH), as in the paper.
_base_ = [
    '../_base_/models/blip_encoders/tokenmix_vit-b16.py',
    '../_base_/blip-b_caption.py', '../_base_/datasets/vatex_caption.py'
]
model = _base_.blip_caption_model
