# The one tiny ViT of the demos, the tests and the synthetic benchmark (CPU,
# trained from scratch, nothing to download): the 'tiny' arch (64 wide,
# 4 layers, 4 heads, FFN 256) on 8 frames of 32x32, patch 8. Variables only,
# so that a config can join it with a base that sets `model` (an encoder
# base, naive_vit-b16.py) and merge it in: `model = _base_.tiny_recognizer`.
tiny_vit = dict(arch='tiny', img_size=32, patch_size=8, num_frames=8)
# CLIP's layout (VideoViT's defaults) stated, for merging over a BLIP-layout
# encoder config so that every method shares one pre-trained tiny ViT.
tiny_clip_vit = dict(
    tiny_vit,
    pre_norm=True,
    act_cfg=dict(type='mmpretrain.QuickGELU'),
    norm_cfg=dict(type='LN', eps=1e-5))
# A classifier of the 6 synthetic motion classes (datasets/synthetic_motion.py)
# on CLIP's pixel statistics; the backbone's type is the joined base's.
tiny_recognizer = dict(
    type='Recognizer3D',
    backbone=dict(tiny_vit, out_type='cls_mean'),
    cls_head=dict(
        type='TimeSformerHead',
        num_classes=6,
        in_channels=64,
        dropout_ratio=0.,
        average_clips='prob'),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[122.771, 116.746, 104.094],
        std=[68.5, 66.632, 70.323],
        format_shape='NCTHW'))
