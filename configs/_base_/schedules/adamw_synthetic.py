# A short CPU schedule for the synthetic videos (the data bases set the
# val/test loops).
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=12, val_interval=4)

optim_wrapper = dict(
    optimizer=dict(
        type='AdamW', lr=1e-3, betas=(0.9, 0.999), weight_decay=0.05),
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
        T_max=11,
        eta_min=1e-5,
        by_epoch=True,
        begin=1,
        end=12)
]
auto_scale_lr = dict(enable=False, base_batch_size=8)
