# BLIP's ViT-B/16 (MMPretrain VisionTransformer layout) as a video encoder:
# the encoder of the Token Mixing benchmark, with no token mixing, frames
# independent. The encoder configs in blip_encoders/ add one method each.
model = dict(
    backbone=dict(
        type='VideoViT',
        arch='b',
        img_size=224,
        patch_size=16,
        num_frames=8,
        pre_norm=False,
        act_cfg=dict(type='GELU'),
        norm_cfg=dict(type='LN', eps=1e-6),
        out_type='raw'))
