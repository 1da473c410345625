# MSRVTT-QA (Xu et al. 2017, on MSR-VTT's videos): prepare with
# tools/data/msrvtt/prepare_qa_annotations.py (see
# docs/data_preparation.md). As the Token Mixing reference: train on train
# + val (qa_trainval.json), test on test; questions whose answer is not
# among the 4000 most frequent training answers (answer_list.json) are left
# out. One sample per question.
dataset_type = 'VideoQADataset'
data_root = 'data/msrvtt'
qa_answer_list = data_root + '/annotations/answer_list.json'
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
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/qa_trainval.json',
        data_prefix=dict(video='videos'),
        pipeline=train_pipeline))
# val is in the training set: validation runs on test, as the reference
# evaluates (once, after training).
test_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/qa_test.json',
        data_prefix=dict(video='videos'),
        pipeline=test_pipeline,
        test_mode=True))
val_dataloader = test_dataloader

val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
val_evaluator = dict(type='QAAccuracy')
test_evaluator = val_evaluator
