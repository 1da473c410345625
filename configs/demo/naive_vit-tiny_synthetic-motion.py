# Naive per-frame ViT (tiny) on the built-in synthetic motion videos (CPU).
# `bash tools/run_demo.sh` trains and tests it in about 3 minutes on 2 cores.
# It averages its frames, so it learns the appearance classes and stays at
# chance (50 %) within each motion pair: top-1 about 0.67.
_base_ = [
    '../_base_/models/naive_vit-b16.py', '../_base_/models/vit_tiny.py',
    '../_base_/datasets/synthetic_motion.py',
    '../_base_/schedules/adamw_synthetic.py', '../_base_/default_runtime.py'
]
model = _base_.tiny_recognizer

# A ViT from scratch needs more videos and epochs than the base schedule.
# Its own cache folder: a folder holds one generated data set.
demo_data = dict(
    data_root='data/synthetic_motion_demo', num_videos=dict(train=48, val=8))
train_dataloader = dict(dataset=demo_data)
val_dataloader = dict(dataset=demo_data)
test_dataloader = dict(dataset=demo_data)
max_epochs = 40
train_cfg = dict(max_epochs=max_epochs, val_interval=10)
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.1,
        by_epoch=True,
        begin=0,
        end=1,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        T_max=max_epochs - 1,
        eta_min=1e-5,
        by_epoch=True,
        begin=1,
        end=max_epochs)
]
default_hooks = dict(logger=dict(interval=36), checkpoint=dict(interval=10))
