# MSR-VTT captioning (standard split: 6513 train / 497 val / 2990 test
# videos, 20 captions each). Prepare with tools/data/msrvtt (see
# docs/data_preparation.md). Train: one sample per caption; test: one per
# video with all references.
dataset_type = 'VideoCaptionDataset'
data_root = 'data/msrvtt'
num_frames = 8
img_size = 224

train_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(type='UniformSample', clip_len=num_frames, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='RandomResizedCrop', area_range=(0.5, 1.0)),
    dict(type='Resize', scale=(img_size, img_size), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='mmpretrain.CleanCaption', keys='text'),
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
    dict(type='Resize', scale=(-1, img_size)),
    dict(type='CenterCrop', crop_size=img_size),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(
        type='PackActionInputs',
        algorithm_keys=('gt_captions', ),
        meta_keys=('video_id', 'video_idx')),
]

train_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/caption_train.json',
        data_prefix=dict(video='videos'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/caption_val.json',
        data_prefix=dict(video='videos'),
        pipeline=test_pipeline,
        test_mode=True))
test_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/caption_test.json',
        data_prefix=dict(video='videos'),
        pipeline=test_pipeline,
        test_mode=True))

val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
val_evaluator = dict(type='CaptionMetric')
test_evaluator = dict(type='CaptionMetric')
