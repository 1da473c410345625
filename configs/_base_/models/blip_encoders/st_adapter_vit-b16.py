# ST-Adapter as the Token Mixing paper benchmarked it (Table 1), with the
# reference code's shape (models/vit.py `STAdapter`): Linear(768, 384), a
# dense 3x3x3 Conv3d(384, 384) over the patch tokens, Linear(384, 768), no
# activation, the [CLS] tokens through the projections only; added before
# the attention of every layer, and only it is trained (UP 54.87M; paper
# 54.8M).
# The encoder's linear projection (`lp`: patch and position embeddings,
# [CLS], final norm) trains too, as the Token Mixing reference trains it
# with every method but BitFit; it is not counted in UP.
_base_ = ['../blip_vit-b16.py']
model = dict(
    backbone=dict(
        layer_cfgs=dict(
            type='STAdapterLayer',
            adapter_channels=384,
            kernel_size=(3, 3, 3),
            depthwise=False,
            project_cls=True),
        trainable=['adapters', 'lp']))
