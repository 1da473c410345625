# Adapter (Houlsby et al. 2019): bottleneck adapters after the attention and
# the FFN of every layer; the adapters and layer norms are trained.
_base_ = ['../blip_vit-b16.py']
model = dict(
    backbone=dict(
        layer_cfgs=dict(type='AdapterLayer', bottleneck=48),
        trainable=['adapters', 'layers.ln1', 'layers.ln2']))
