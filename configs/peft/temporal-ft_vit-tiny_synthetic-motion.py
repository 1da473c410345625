# Temporal fine-tuning: 4 temporal blocks after the spatial ViT; they and
# the head are trained.
# A narrow 12-layer ViT on the built-in synthetic motion videos (CPU):
#   python tools/train.py configs/peft/temporal-ft_vit-tiny_synthetic-motion.py
_base_ = [
    '../_base_/models/blip_encoders/temporal_ft_vit-b16.py',
    '../_base_/peft_synthetic-motion.py'
]
model = _base_.recognizer
