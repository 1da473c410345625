# PEFT benchmark: Adapter (Houlsby),
# BLIP ViT-B/16, MSR-VTT captioning; LP and LH trained too.
_base_ = [
    '../_base_/models/blip_encoders/adapter_vit-b16.py',
    '../_base_/blip-b_caption.py', '../_base_/datasets/msrvtt_caption.py'
]
model = _base_.blip_caption_model
