# No temporal modelling (frames independent); the last layer and the
# head are trained.
# A narrow 12-layer ViT on the built-in synthetic motion videos (CPU):
#   python tools/train.py configs/peft/plain_vit-tiny_synthetic-motion.py
_base_ = [
    '../_base_/models/blip_encoders/plain_vit-b16.py',
    '../_base_/peft_synthetic-motion.py'
]
model = _base_.recognizer
