# PEFT benchmark: ViViT-style full fine-tuning (4 temporal blocks after the
# spatial ViT, initialised from its first 4 layers as the reference does),
# BLIP ViT-B/16, MSVD captioning; everything is trained.
_base_ = [
    '../_base_/models/blip_encoders/vivit_vit-b16.py',
    '../_base_/blip-b_caption.py', '../_base_/datasets/msvd_caption.py'
]
# MSVD's settings of the reference (caption_msvd.yaml:30, 36): 3 beams,
# 6 epochs.
model = dict(
    _base_.blip_caption_model,
    trainable=None,  # everything trains
    generation_cfg=dict(_base_.blip_caption_model.generation_cfg, num_beams=3))
train_cfg = dict(max_epochs=6)
param_scheduler = [dict(_base_.param_scheduler[0], end=6, T_max=6)]
