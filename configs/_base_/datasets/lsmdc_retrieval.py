# LSMDC text-video retrieval (LSMDC 2016 challenge: 101079 training clips,
# 1000 test clips, one sentence each). Prepare with tools/data/lsmdc.
_base_ = ['./msrvtt_retrieval.py']
data_root = 'data/lsmdc'
train_dataloader = dict(
    dataset=dict(
        data_root=data_root, ann_file='annotations/retrieval_train.json'))
val_dataloader = dict(
    dataset=dict(
        data_root=data_root, ann_file='annotations/retrieval_test.json'))
test_dataloader = val_dataloader
