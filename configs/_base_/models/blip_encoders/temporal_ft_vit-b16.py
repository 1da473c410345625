# Temporal fine-tuning: the "ViViT" architecture (4 temporal blocks after the
# spatial ViT, initialised from its last 4 layers), only the new blocks, their
# position embedding and norm trained.
_base_ = ['../blip_vit-b16.py']
model = dict(backbone=dict(temporal_layers=4, trainable=['temporal']))
