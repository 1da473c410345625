# A tiny Token Mixing text-video retriever (BLIP architecture) trained from
# scratch on the built-in synthetic videos, on CPU:
#   python tools/train.py configs/demo/tokenmix_blip-tiny_synthetic-retrieval.py
_base_ = [
    '../_base_/models/blip_tiny.py',
    '../_base_/datasets/synthetic_retrieval.py',
    '../_base_/schedules/adamw_blip-tiny_synthetic.py',
    '../_base_/default_runtime.py'
]
model = _base_.tiny_retriever

train_cfg = dict(max_epochs=12, val_interval=12)
param_scheduler = [
    _base_.param_scheduler[0],
    dict(_base_.param_scheduler[1], T_max=11, end=12)
]
default_hooks = dict(
    logger=dict(interval=6), checkpoint=dict(interval=12, save_best=None))
