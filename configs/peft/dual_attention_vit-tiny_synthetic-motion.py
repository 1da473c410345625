# Dual-channel attention in every layer; the temporal MHA, alpha and the
# head are trained.
# A tiny ViT on the built-in synthetic motion videos (CPU, minutes):
#   python tools/train.py configs/peft/dual_attention_vit-tiny_synthetic-motion.py
_base_ = [
    '../_base_/models/blip_encoders/dual_attention_vit-b16.py',
    '../_base_/peft_synthetic-motion.py'
]
model = dict(
    type='Recognizer3D',
    backbone=dict(
        arch='tiny',
        img_size=32,
        patch_size=8,
        num_frames=8,
        out_type='cls_mean'),
    cls_head={{_base_.cls_head}},
    data_preprocessor={{_base_.data_preprocessor}})
optim_wrapper = dict(
    optimizer={{_base_.optimizer}},
    paramwise_cfg=dict(trainable=dict(head=[r'cls_head\.'])))
