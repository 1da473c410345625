# PEFT benchmark: ST-Adapter (the Token Mixing reference's dense 3x3x3
# convolution of width 384),
# BLIP ViT-B/16, MSVD captioning; LP and LH trained too.
_base_ = [
    '../_base_/models/blip_encoders/st_adapter_vit-b16.py',
    '../_base_/blip-b_caption.py', '../_base_/datasets/msvd_caption.py'
]
# MSVD's settings of the reference (caption_msvd.yaml:30, 36): 3 beams,
# 6 epochs.
model = _base_.blip_caption_model
model.generation_cfg.num_beams = 3
train_cfg = dict(max_epochs=6)
param_scheduler = [dict(_base_.param_scheduler[0], end=6, T_max=6)]
