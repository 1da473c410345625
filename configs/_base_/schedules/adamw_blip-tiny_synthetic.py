# The CPU schedule of the tiny BLIP demos on the synthetic videos (the whole
# model trained from scratch): AdamW with gradient clipping, one warm-up
# epoch, then cosine down to the last of 30 epochs (a demo with another
# number changes the cosine's T_max and end with it). The task's data base
# sets the val/test loops.
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=30, val_interval=30)
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=1e-3, weight_decay=0.01),
    clip_grad=dict(max_norm=5, norm_type=2))
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
        T_max=29,
        eta_min=1e-5,
        by_epoch=True,
        begin=1,
        end=30)
]
