# PEFT benchmark variant: ST-Adapter as its paper's implementation
# (depthwise 3x1x1 convolution of width 384) in place of the Token Mixing
# reference's dense 3x3x3 one (st-adapter_blip-b_*.py),
# BLIP ViT-B/16, MSR-VTT captioning; LP and LH trained too.
_base_ = [
    '../_base_/models/blip_encoders/st_adapter_depthwise_vit-b16.py',
    '../_base_/blip-b_caption.py', '../_base_/datasets/msrvtt_caption.py'
]
model = _base_.blip_caption_model
