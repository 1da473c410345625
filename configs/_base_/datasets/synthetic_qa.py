# The built-in synthetic motion videos as question answering (generated on
# first use, no download): a colour and a shape question per video, and a
# direction question per moving shape, whose answer needs the order of the
# frames (mmvidlm/datasets/synthetic_qa.py). No horizontal flip: it would
# turn "left" into "right".
dataset_type = 'SyntheticQADataset'
synthetic = dict(
    data_root='data/synthetic_motion',
    num_videos=dict(train=24, val=8),
    # odd: 8 uniformly sampled frames stay symmetric about the middle one
    num_frames=17,
    frame_size=64,
    seed=0)
# Every answer of the task (mmvidlm.datasets.SYNTHETIC_QA_ANSWERS).
qa_answer_list = [
    'red', 'green', 'blue', 'yellow', 'circle', 'bar', 'square', 'triangle',
    'left', 'right', 'clockwise', 'anticlockwise'
]
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
        algorithm_keys=('text', 'gt_answer', 'question_type'),
        meta_keys=('video_id', 'question_id')),
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
        algorithm_keys=('text', 'gt_answer', 'question_type'),
        meta_keys=('video_id', 'question_id')),
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
val_evaluator = dict(type='QAAccuracy')
test_evaluator = val_evaluator
