# Token Mixing in layer 5 (0-based) instead of the last one, that layer
# fine-tuned with LP and LH: the layer-choice study (Fig. 4), MSVD captioning.
_base_ = ['./blip-b_msvd-caption.py']
model = dict(backbone=dict(token_mix_layers=[5]))
optim_wrapper = dict(
    paramwise_cfg=dict(
        trainable=dict(visual=[r'backbone\.layers\.5\.'])))
