# Adapter (Houlsby et al. 2019): bottleneck adapters after the attention and
# the FFN of every layer; the adapters and layer norms are trained.
_base_ = ['../blip_vit-b16.py']
model = dict(
    backbone=dict(layer_cfgs=dict(type='AdapterLayer', bottleneck=48)))
optim_wrapper = dict(
    constructor='TrainableParamsOptimWrapperConstructor',
    paramwise_cfg=dict(
        trainable=dict(
            visual=[r'backbone\.layers\.\d+\.(attn_adapter|ffn_adapter|ln1|'
                    r'ln2)\.'])))
