# No temporal modelling (frames independent); the last layer is fine-tuned,
# as in Token Mixing's partial fine-tuning (Table 3, PF without TM).
_base_ = ['../blip_vit-b16.py']
optim_wrapper = dict(
    constructor='TrainableParamsOptimWrapperConstructor',
    paramwise_cfg=dict(trainable=dict(visual=[r'backbone\.layers\.11\.'])))
