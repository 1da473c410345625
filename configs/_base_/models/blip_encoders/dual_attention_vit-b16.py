# Dual-channel attention (CogVideo): a temporal MHA parallel to the spatial
# one in every layer, mixed by a learnable alpha, initialised from the
# spatial weights; only the temporal MHA and alpha are trained.
_base_ = ['../blip_vit-b16.py']
model = dict(
    backbone=dict(
        layer_cfgs=dict(type='DualAttentionLayer'), trainable=['adapters']))
