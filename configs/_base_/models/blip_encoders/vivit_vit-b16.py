# "ViViT" full fine-tuning: 4 temporal transformer blocks after the spatial
# ViT, initialised from its last 4 layers; everything is trained (no
# `trainable` spec: nothing is frozen; the experiment configs also set the
# model's `trainable=None`).
_base_ = ['../blip_vit-b16.py']
model = dict(backbone=dict(temporal_layers=4))
