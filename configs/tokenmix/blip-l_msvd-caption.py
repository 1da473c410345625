# Token Mixing, BLIP ViT-L/16, MSVD captioning: 8 frames at 224x224, token
# mixing in the last (24th) layer; trained: that layer, LP, LH. MSVD's
# settings of the reference (caption_msvd.yaml:30, 36): 3 beams, 6 epochs.
_base_ = [
    '../_base_/models/blip_encoders/tokenmix_vit-l16.py',
    '../_base_/blip-l_caption.py', '../_base_/datasets/msvd_caption.py'
]
model = _base_.blip_caption_model
model.generation_cfg.num_beams = 3
train_cfg = dict(max_epochs=6)
param_scheduler = [dict(_base_.param_scheduler[0], end=6, T_max=6)]
