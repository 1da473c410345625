# The built-in synthetic motion videos as a text-video retrieval data set:
# train on (video, caption) pairs, test with every caption of every video.
_base_ = ['./synthetic_caption.py']
dataset_type = 'SyntheticRetrievalDataset'
test_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(type='UniformSample', clip_len=8, num_clips=1, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(
        type='PackActionInputs',
        algorithm_keys=('text', ),
        meta_keys=('video_id', 'video_idx')),
]
train_dataloader = dict(dataset=dict(type=dataset_type))
val_dataloader = dict(dataset=dict(type=dataset_type, pipeline=test_pipeline))
test_dataloader = val_dataloader
# Loops that re-rank by ITM when the model's itm_topk > 0.
val_cfg = dict(type='RetrievalValLoop')
test_cfg = dict(type='RetrievalTestLoop')
val_evaluator = dict(type='RetrievalMetric')
test_evaluator = val_evaluator
