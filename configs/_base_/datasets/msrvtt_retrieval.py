# MSR-VTT text-video retrieval: 9k training videos (every caption), the
# 1k-A test split (one caption per video). Prepare with tools/data/msrvtt.
dataset_type = 'VideoRetrievalDataset'
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
        type='UniformSample',
        clip_len=num_frames,
        num_clips=1,
        test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, img_size)),
    dict(type='CenterCrop', crop_size=img_size),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='mmpretrain.CleanCaption', keys='text'),
    dict(
        type='PackActionInputs',
        algorithm_keys=('text', ),
        meta_keys=('video_id', 'video_idx')),
]

train_dataloader = dict(
    batch_size=32,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/retrieval_train_9k.json',
        data_prefix=dict(video='videos'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/retrieval_test_1k.json',
        data_prefix=dict(video='videos'),
        pipeline=test_pipeline,
        test_mode=True))
test_dataloader = val_dataloader

# Loops that re-rank by ITM when the model's itm_topk > 0.
val_cfg = dict(type='RetrievalValLoop')
test_cfg = dict(type='RetrievalTestLoop')
val_evaluator = dict(type='RetrievalMetric')
test_evaluator = val_evaluator
