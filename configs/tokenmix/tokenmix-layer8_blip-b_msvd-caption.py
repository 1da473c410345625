# Token Mixing in layer 8 (0-based) instead of the last one, that layer
# fine-tuned with LP and LH: the layer-choice study (Fig. 4), MSVD captioning.
_base_ = ['./blip-b_msvd-caption.py']
model = dict(backbone=dict(layer_cfgs=dict(layers=[8])))
