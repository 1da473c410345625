# MSR-VTT text-video retrieval: 9k training videos (every caption), the
# 1k-A test split (one caption per video). Prepare with tools/data/msrvtt.
# The captioning base's videos, transforms and loaders; retrieval
# annotations, and the test clips carry their captions ('text').
_base_ = ['./msrvtt_caption.py']
dataset_type = 'VideoRetrievalDataset'
test_pipeline = [
    *_base_.test_pipeline[:-1],  # decode, resize, crop, format
    dict(type='mmpretrain.CleanCaption', keys='text'),
    dict(
        type='PackActionInputs',
        algorithm_keys=('text', ),
        meta_keys=('video_id', 'video_idx')),
]

# 8 clips per GPU for training, 16 for testing (retrieval_*.yaml:11-12).
train_dataloader = dict(
    batch_size=8,
    dataset=dict(
        type=dataset_type, ann_file='annotations/retrieval_train_9k.json'))
val_dataloader = dict(
    batch_size=16,
    dataset=dict(
        type=dataset_type,
        ann_file='annotations/retrieval_test_1k.json',
        pipeline=test_pipeline))
test_dataloader = val_dataloader

# Loops that re-rank by ITM when the model's itm_topk > 0.
val_cfg = dict(type='RetrievalValLoop')
test_cfg = dict(type='RetrievalTestLoop')
val_evaluator = dict(type='RetrievalMetric')
test_evaluator = val_evaluator
