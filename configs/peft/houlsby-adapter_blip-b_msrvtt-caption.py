# PEFT benchmark variant: Houlsby adapters (width 48, after the attention
# and the FFN of every layer; the adapters and layer norms trained) in place
# of the Token Mixing reference's adapter (adapter_blip-b_*.py),
# BLIP ViT-B/16, MSR-VTT captioning; LP and LH trained too.
_base_ = [
    '../_base_/models/blip_encoders/houlsby_adapter_vit-b16.py',
    '../_base_/blip-b_caption.py', '../_base_/datasets/msrvtt_caption.py'
]
model = _base_.blip_caption_model
