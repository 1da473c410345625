# PEFT benchmark: Temporal fine-tuning (4 temporal blocks, only they are
# trained),
# BLIP ViT-B/16, VATEX captioning; LP and LH trained too.
_base_ = [
    '../_base_/models/blip_encoders/temporal_ft_vit-b16.py',
    '../_base_/blip-b_caption.py', '../_base_/datasets/vatex_caption.py'
]
model = _base_.blip_caption_model
