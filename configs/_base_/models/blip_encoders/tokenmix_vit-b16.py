# Token Mixing (AAAI 2023): token-mixing attention in the last layer, and
# that layer and the encoder's linear projection (`lp`: patch and position
# embeddings, [CLS], final norm; not counted in UP) are fine-tuned, as the
# reference code (UP 7.09M for ViT-B/16).
_base_ = ['../blip_vit-b16.py']
model = dict(
    backbone=dict(
        layer_cfgs=dict(type='TokenMixLayer', layers=[-1]),
        trainable=['TokenMixLayer', 'lp']))
