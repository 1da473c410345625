# Ablation (Table 3, PF without TM): no token mixing, last layer
# fine-tuned,
# BLIP ViT-B/16, MSR-VTT (1k-A) text-video retrieval; LP and LH trained too.
_base_ = [
    '../_base_/models/blip_encoders/plain_vit-b16.py',
    '../_base_/blip-b_retrieval.py', '../_base_/datasets/msrvtt_retrieval.py'
]
model = _base_.blip_retrieval_model
