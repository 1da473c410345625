# Token Mixing, BLIP ViT-L/16, MSR-VTT captioning: 8 frames at 224x224, token
# mixing in the last (24th) layer; trained: that layer, LP, LH.
_base_ = [
    '../_base_/models/blip_encoders/tokenmix_vit-l16.py',
    '../_base_/blip-l_caption.py', '../_base_/datasets/msrvtt_caption.py'
]
model = _base_.blip_caption_model
