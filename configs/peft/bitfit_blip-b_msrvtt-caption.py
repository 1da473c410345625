# PEFT benchmark: BitFit (every bias of the model, as the Token Mixing
# reference trains it: train_video_caption.py:137-142),
# BLIP ViT-B/16, MSR-VTT captioning; nothing else is trained.
_base_ = [
    '../_base_/models/blip_encoders/bitfit_vit-b16.py',
    '../_base_/blip-b_caption.py', '../_base_/datasets/msrvtt_caption.py'
]
model = dict(_base_.blip_caption_model, trainable=['bias'])
