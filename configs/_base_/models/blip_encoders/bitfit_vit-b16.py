# BitFit (Zaken et al. 2021): only the biases of the encoder are trained.
_base_ = ['../blip_vit-b16.py']
model = dict(backbone=dict(trainable=['bias']))
