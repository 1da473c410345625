# Token Mixing (AAAI 2023) in BLIP's ViT-L/16: token-mixing attention in the
# last (24th) layer, and only that layer is fine-tuned in the encoder.
_base_ = ['../blip_vit-l16.py']
model = dict(backbone=dict(token_mix_layers=[23]))
optim_wrapper = dict(
    constructor='TrainableParamsOptimWrapperConstructor',
    paramwise_cfg=dict(trainable=dict(visual=[r'backbone\.layers\.23\.'])))
