# PEFT benchmark: BitFit (every bias of the model, as the Token Mixing
# reference trains it: train_video_caption.py:137-142),
# BLIP ViT-B/16, MSVD captioning; nothing else is trained.
_base_ = [
    '../_base_/models/blip_encoders/bitfit_vit-b16.py',
    '../_base_/blip-b_caption.py', '../_base_/datasets/msvd_caption.py'
]
# MSVD's settings of the reference (caption_msvd.yaml:30, 36): 3 beams,
# 6 epochs.
model = dict(
    _base_.blip_caption_model,
    trainable=['bias'],
    generation_cfg=dict(_base_.blip_caption_model.generation_cfg, num_beams=3))
train_cfg = dict(max_epochs=6)
param_scheduler = [dict(_base_.param_scheduler[0], end=6, T_max=6)]
