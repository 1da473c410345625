# Token Mixing, BLIP ViT-B/16, LSMDC text-video retrieval: 8 frames at
# 224x224, token mixing in the last layer; trained: that layer, the visual
# projection (LP) and the language head (LH), as in the paper.
_base_ = [
    '../_base_/models/blip_encoders/tokenmix_vit-b16.py',
    '../_base_/blip-b_retrieval.py', '../_base_/datasets/lsmdc_retrieval.py'
]
model = _base_.blip_retrieval_model
