# Adapter (Houlsby et al. 2019): bottleneck adapters (GELU, width 48) after
# the attention and the FFN of every layer; the adapters and layer norms are
# trained. A variant of the Token Mixing benchmark's Adapter
# (adapter_vit-b16.py).
# The encoder's linear projection (`lp`: patch and position embeddings,
# [CLS], final norm) trains too, as the Token Mixing reference trains it
# with every method but BitFit; it is not counted in UP.
_base_ = ['../blip_vit-b16.py']
model = dict(
    backbone=dict(
        layer_cfgs=dict(type='AdapterLayer', bottleneck=48),
        trainable=['adapters', 'layers.ln1', 'layers.ln2', 'lp']))
