# Token Mixing (AAAI 2023): token-mixing attention in the last layer, and
# only that layer is fine-tuned in the encoder (UP 7.09M for ViT-B/16).
_base_ = ['../blip_vit-b16.py']
model = dict(
    backbone=dict(
        layer_cfgs=dict(type='TokenMixLayer', layers=[-1]),
        trainable=['TokenMixLayer']))
