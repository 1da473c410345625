# VATEX captioning, English captions (25991 train / 3000 val videos; the
# public test set is the official val split, as in the literature).
# Prepare with tools/data/vatex.
_base_ = ['./msrvtt_caption.py']
data_root = 'data/vatex'
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = dict(
    dataset=dict(data_root=data_root, ann_file='annotations/caption_val.json'))
