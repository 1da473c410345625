# Naive adaptation of CLIP ViT-B/16: frames independently, mean of [CLS].
# OpenAI's weights (openai/CLIP clip/clip.py), a TorchScript archive that
# init_cfg=dict(type='Pretrained', checkpoint=clip_checkpoint) converts
# when loading; experiment configs set it, demos train from scratch.
clip_checkpoint = (
    'https://openaipublic.azureedge.net/clip/models/'
    '5806e77cd80f8b59890b7e101eabd078d9fb84e6937f9e85e4ecb61988df416f/'
    'ViT-B-16.pt')
model = dict(
    type='Recognizer3D',
    backbone=dict(
        type='VideoViT',
        arch='b',
        patch_size=16,
        img_size=224,
        num_frames=16,
        drop_path_rate=0.,
        out_type='cls_mean'),
    cls_head=dict(
        type='TimeSformerHead',
        num_classes=400,
        in_channels=768,
        dropout_ratio=0.5,
        average_clips='prob'),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[122.771, 116.746, 104.094],
        std=[68.5, 66.632, 70.323],
        format_shape='NCTHW'))
