# InTI + Token Mixing, BLIP ViT-B/16, MSR-VTT (1k-A) retrieval: the token-
# mixing config (configs/tokenmix/blip-b_msrvtt-retrieval.py) with InTI after
# blocks 5 and 9, 8 -> 2 frames, 0.65x its GFLOPs; trained: the InTI modules,
# the token-mixing layer, the visual projection (LP) and the language head
# (LH).
_base_ = [
    '../_base_/models/blip_encoders/inti_tokenmix_vit-b16.py',
    '../_base_/blip-b_retrieval.py', '../_base_/datasets/msrvtt_retrieval.py'
]
model = _base_.blip_retrieval_model
