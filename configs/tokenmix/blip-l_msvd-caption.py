# Token Mixing, BLIP ViT-L/16, MSVD captioning: 8 frames at 224x224,
# token mixing in the last (24th) layer; trained: that layer, LP, LH.
_base_ = [
    '../_base_/models/blip_vit-l16.py',
    '../_base_/models/blip_caption_large.py',
    '../_base_/datasets/msvd_caption.py',
    '../_base_/schedules/adamw_blip-video_5e.py',
    '../_base_/default_runtime.py'
]
model = dict(
    **_base_.blip_caption_model,
    backbone=dict(
        layer_cfgs=dict(type='TokenMixLayer', layers=[-1]),
        trainable=['TokenMixLayer']))
