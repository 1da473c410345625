# BLIP's ViT-L/16 (MMPretrain VisionTransformer layout) as a video encoder;
# see blip_vit-b16.py. BLIP trains its ViT-L with stochastic depth 0.1.
_base_ = ['./blip_vit-b16.py']
model = dict(backbone=dict(arch='l', drop_path_rate=0.1))
