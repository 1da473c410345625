# Token Mixing (AAAI 2023) in BLIP's ViT-L/16: token-mixing attention in the
# last (24th) layer; that layer and the encoder's linear projection (`lp`)
# are fine-tuned.
_base_ = ['../blip_vit-l16.py']
model = dict(
    backbone=dict(
        layer_cfgs=dict(type='TokenMixLayer', layers=[-1]),
        trainable=['TokenMixLayer', 'lp']))
