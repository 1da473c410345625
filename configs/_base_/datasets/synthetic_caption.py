# The built-in synthetic motion videos with their captions (generated on
# first use, no download). No horizontal flip: it would turn "moves to the
# left" into "moves to the right".
dataset_type = 'SyntheticCaptionDataset'
synthetic = dict(
    data_root='data/synthetic_motion',
    num_videos=dict(train=24, val=8),
    # odd: 8 uniformly sampled frames stay symmetric about the middle one
    num_frames=17,
    frame_size=64,
    seed=0)
num_frames = 8
img_size = 32

train_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(type='UniformSample', clip_len=num_frames, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='RandomResizedCrop', area_range=(0.7, 1.0)),
    dict(type='Resize', scale=(img_size, img_size), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(
        type='PackActionInputs',
        algorithm_keys=('text', ),
        meta_keys=('video_id', 'video_idx')),
]
test_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(
        type='UniformSample', clip_len=num_frames, num_clips=1,
        test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(img_size, img_size), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(
        type='PackActionInputs',
        algorithm_keys=('gt_captions', ),
        meta_keys=('video_id', 'video_idx')),
]

train_dataloader = dict(
    batch_size=16,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type, split='train', pipeline=train_pipeline,
        **synthetic))
val_dataloader = dict(
    batch_size=16,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        split='val',
        pipeline=test_pipeline,
        test_mode=True,
        **synthetic))
test_dataloader = val_dataloader

val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
val_evaluator = dict(type='CaptionMetric')
test_evaluator = val_evaluator
