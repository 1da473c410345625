# Fine-tuning schedule of the BLIP video-language tasks (BLIP's own
# fine-tuning recipe: AdamW, cosine decay, 5 epochs).
# The data set bases own val_cfg / test_cfg (retrieval needs its own loops).
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=5, val_interval=1)

# What is trained is the model's (`trainable`), not the optimizer's. No
# gradient clipping, as the Token Mixing reference (train_video_caption.py:
# 40-42, train_video_retrieval.py:48-50).
optim_wrapper = dict(optimizer=dict(type='AdamW', lr=1e-5, weight_decay=0.05))
param_scheduler = [
    dict(
        type='CosineAnnealingLR',
        by_epoch=True,
        begin=0,
        end=5,
        T_max=5,
        eta_min=0)
]
# lr above is for 8 GPUs x 16 clips
auto_scale_lr = dict(enable=False, base_batch_size=128)
