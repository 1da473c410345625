# "ViViT": 4 temporal blocks after the spatial ViT; everything is trained.
# A tiny ViT on the built-in synthetic motion videos (CPU, minutes):
#   python tools/train.py configs/peft/vivit_vit-tiny_synthetic-motion.py
_base_ = [
    '../_base_/models/blip_encoders/vivit_vit-b16.py',
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
optim_wrapper = dict(optimizer={{_base_.optimizer}})
