# Token Mixing (AAAI 2023): token-mixing attention in the last layer, and
# only that layer is fine-tuned in the encoder (UP 7.09M for ViT-B/16).
_base_ = ['../blip_vit-b16.py']
model = dict(backbone=dict(token_mix_layers=[11]))
optim_wrapper = dict(
    constructor='TrainableParamsOptimWrapperConstructor',
    paramwise_cfg=dict(trainable=dict(visual=[r'backbone\.layers\.11\.'])))
