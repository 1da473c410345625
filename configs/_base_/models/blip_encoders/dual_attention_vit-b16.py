# Dual-channel attention (CogVideo): a temporal MHA parallel to the spatial
# one in every layer, mixed by a learnable alpha, initialised from the
# spatial weights; only the temporal MHA and alpha are trained.
# The encoder's linear projection (`lp`: patch and position embeddings,
# [CLS], final norm) trains too, as the Token Mixing reference trains it
# with every method but BitFit; it is not counted in UP.
_base_ = ['../blip_vit-b16.py']
model = dict(
    backbone=dict(
        layer_cfgs=dict(type='DualAttentionLayer'),
        trainable=['adapters', 'lp']))
