# Token Mixing, BLIP ViT-L/16, MSR-VTT (1k-A) text-video retrieval: 8 frames at
# 224x224, token mixing in the last (24th) layer; trained: that layer, LP, LH.
_base_ = [
    '../_base_/models/blip_encoders/tokenmix_vit-l16.py',
    '../_base_/blip-l_retrieval.py', '../_base_/datasets/msrvtt_retrieval.py'
]
model = _base_.blip_retrieval_model
