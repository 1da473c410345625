# ViFi-CLIP's full fine-tuning recipe (Rasheed et al., ICCV 2023), which
# InTI follows on Kinetics-400 (Appendix D): AdamW, lr 2.2e-5 for a batch of
# 256 clips (8 GPUs x 8 clips x 4 accumulated steps), weight decay 0.001,
# 5 warm-up epochs then cosine to 0, 30 epochs, and its regularisation
# (`vifi_clip_regularisation`, below).
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=30, val_begin=1, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(
        type='AdamW',
        lr=2.2e-5,
        betas=(0.9, 0.98),
        eps=1e-8,
        weight_decay=0.001),
    accumulative_counts=4,
    paramwise_cfg=dict(norm_decay_mult=0., bias_decay_mult=0.))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.01,
        by_epoch=True,
        begin=0,
        end=5,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        T_max=25,
        eta_min=0.,
        by_epoch=True,
        begin=5,
        end=30,
        convert_to_iter_based=True)
]
# The learning rate is set for 256 clips per step (with accumulation).
auto_scale_lr = dict(enable=False, base_batch_size=256)

# ViFi-CLIP's regularisation: label smoothing 0.1, mixup 0.8 / cutmix 1.0.
# These are settings of the model, and batch blending needs the class count,
# so there is one block per data set; an experiment config merges its own
# into the model: `model = dict(_base_.vifi_clip_regularisation.k400, ...)`.
vifi_clip_regularisation = {
    dataset:
    dict(
        cls_head=dict(num_classes=num_classes, label_smooth_eps=0.1),
        data_preprocessor=dict(
            blending=dict(
                type='RandomBatchAugment',
                augments=[
                    dict(
                        type='MixupBlending',
                        alpha=0.8,
                        num_classes=num_classes),
                    dict(
                        type='CutmixBlending',
                        alpha=1.,
                        num_classes=num_classes)
                ])))
    for dataset, num_classes in (('k400', 400), ('hmdb51', 51), ('ucf101',
                                                                 101))
}
