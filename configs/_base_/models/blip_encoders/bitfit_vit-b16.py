# BitFit (Zaken et al. 2021): only the biases of the encoder are trained.
_base_ = ['../blip_vit-b16.py']
optim_wrapper = dict(
    constructor='TrainableParamsOptimWrapperConstructor',
    paramwise_cfg=dict(trainable=dict(visual=[r'backbone\..*bias$'])))
