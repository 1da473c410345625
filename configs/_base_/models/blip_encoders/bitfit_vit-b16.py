# BitFit (Zaken et al. 2021): only the biases of the encoder are trained.
# The Token Mixing reference trains every bias of the model (text side
# included) and nothing else: its experiment configs also set the model's
# `trainable=['bias']` (configs/peft/bitfit_*.py).
_base_ = ['../blip_vit-b16.py']
model = dict(backbone=dict(trainable=['bias']))
