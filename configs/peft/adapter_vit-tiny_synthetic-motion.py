# Adapters (the Token Mixing reference's shape) before the attention of
# every layer; they and the head are trained. Their width is an eighth of
# the embedding width, as 96 of ViT-B's 768.
# A narrow 12-layer ViT on the built-in synthetic motion videos (CPU):
#   python tools/train.py configs/peft/adapter_vit-tiny_synthetic-motion.py
_base_ = [
    '../_base_/models/blip_encoders/adapter_vit-b16.py',
    '../_base_/peft_synthetic-motion.py'
]
model = dict(
    _base_.recognizer,
    backbone=dict(_base_.recognizer.backbone, layer_cfgs=dict(bottleneck=8)))
