# InTI only, BLIP ViT-B/16, MSR-VTT captioning: the ablation of blip-b_msrvtt-
# caption.py without token mixing (plain last layer, trained as in partial
# fine-tuning); trained: the InTI modules, the last layer, LP and LH.
_base_ = [
    '../_base_/models/blip_encoders/inti_vit-b16.py',
    '../_base_/blip-b_caption.py', '../_base_/datasets/msrvtt_caption.py'
]
model = _base_.blip_caption_model
