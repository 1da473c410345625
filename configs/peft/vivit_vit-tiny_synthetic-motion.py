# "ViViT": 4 temporal blocks after the spatial ViT; everything is trained.
# A narrow 12-layer ViT on the built-in synthetic motion videos (CPU):
#   python tools/train.py configs/peft/vivit_vit-tiny_synthetic-motion.py
_base_ = [
    '../_base_/models/blip_encoders/vivit_vit-b16.py',
    '../_base_/peft_synthetic-motion.py'
]
model = _base_.recognizer
