# ST-Adapter (Pan et al. 2022) as its own implementation: a depthwise
# 3D-conv bottleneck (width 384, kernel 3x1x1) on the patch tokens before
# the attention of every layer; only it is trained. A variant of the Token
# Mixing benchmark's ST-Adapter (st_adapter_vit-b16.py).
# The encoder's linear projection (`lp`: patch and position embeddings,
# [CLS], final norm) trains too, as the Token Mixing reference trains it
# with every method but BitFit; it is not counted in UP.
_base_ = ['../blip_vit-b16.py']
model = dict(
    backbone=dict(
        layer_cfgs=dict(
            type='STAdapterLayer', adapter_channels=384, kernel_size=(3, 1,
                                                                      1)),
        trainable=['adapters', 'lp']))
