# BLIP's ViT-L/16 (MMPretrain VisionTransformer layout) as a video encoder;
# see blip_vit-b16.py. BLIP trains its ViT-L with stochastic depth 0.1.
model = dict(
    backbone=dict(
        type='VideoViT',
        arch='l',
        img_size=224,
        patch_size=16,
        num_frames=8,
        drop_path_rate=0.1,
        pre_norm=False,
        act_cfg=dict(type='GELU'),
        norm_cfg=dict(type='LN', eps=1e-6),
        out_type='raw'))
