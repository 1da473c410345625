# InTI only, BLIP ViT-B/16, MSR-VTT retrieval: the ablation of blip-b_msrvtt-
# retrieval.py without token mixing (plain last layer, trained as in partial
# fine-tuning); trained: the InTI modules, the last layer, LP and LH.
_base_ = [
    '../_base_/models/blip_encoders/inti_vit-b16.py',
    '../_base_/blip-b_retrieval.py', '../_base_/datasets/msrvtt_retrieval.py'
]
model = _base_.blip_retrieval_model
