# ST-Adapter (Pan et al. 2022): a depthwise 3D-conv bottleneck (width 384,
# kernel 3x1x1) before the attention of every layer; only it is trained.
_base_ = ['../blip_vit-b16.py']
model = dict(
    backbone=dict(
        layer_cfgs=dict(
            type='STAdapterLayer', adapter_channels=384,
            kernel_size=(3, 1, 1)),
        trainable=['adapters']))
