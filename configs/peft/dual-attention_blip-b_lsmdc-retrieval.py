# PEFT benchmark: Dual-channel attention (CogVideo),
# BLIP ViT-B/16, LSMDC text-video retrieval; LP and LH trained too.
_base_ = [
    '../_base_/models/blip_encoders/dual_attention_vit-b16.py',
    '../_base_/models/blip_retrieval.py',
    '../_base_/datasets/lsmdc_retrieval.py',
    '../_base_/schedules/adamw_blip-video_5e.py',
    '../_base_/default_runtime.py'
]
model = _base_.blip_retrieval_model
