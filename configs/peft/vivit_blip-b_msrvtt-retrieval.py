# PEFT benchmark: ViViT-style full fine-tuning (4 temporal blocks after the
# spatial ViT, initialised from its last 4 layers),
# BLIP ViT-B/16, MSR-VTT (1k-A) text-video retrieval; everything is trained.
_base_ = [
    '../_base_/models/blip_encoders/vivit_vit-b16.py',
    '../_base_/blip-b_retrieval.py', '../_base_/datasets/msrvtt_retrieval.py'
]
model = dict(_base_.blip_retrieval_model, trainable=None)  # everything trains
