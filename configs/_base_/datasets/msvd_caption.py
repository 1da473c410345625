# MSVD captioning (1200 train / 100 val / 670 test videos, about 40
# captions each). Prepare with tools/data/msvd.
_base_ = ['./msrvtt_caption.py']
data_root = 'data/msvd'
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = dict(dataset=dict(data_root=data_root))
