# ST-Adapter (the Token Mixing reference's dense 3x3x3 convolution) before
# the attention of every layer; it and the head are trained. Its width is
# half the embedding width, as 384 of ViT-B's 768.
# A narrow 12-layer ViT on the built-in synthetic motion videos (CPU):
#   python tools/train.py configs/peft/st-adapter_vit-tiny_synthetic-motion.py
_base_ = [
    '../_base_/models/blip_encoders/st_adapter_vit-b16.py',
    '../_base_/peft_synthetic-motion.py'
]
model = dict(
    _base_.recognizer,
    backbone=dict(
        _base_.recognizer.backbone, layer_cfgs=dict(adapter_channels=32)))
