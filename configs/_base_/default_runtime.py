default_scope = 'mmvidlm'

default_hooks = dict(
    runtime_info=dict(type='RuntimeInfoHook'),
    timer=dict(type='IterTimerHook'),
    # test metrics json written by the main process only (MMEngine: all ranks)
    logger=dict(type='MainProcessLoggerHook', interval=20, ignore_last=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # kill-safe saving: atomic files, `last_checkpoint` updated last
    checkpoint=dict(type='SafeCheckpointHook', interval=1, save_best='auto'),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    sync_buffers=dict(type='SyncBuffersHook'),
    # action='skip' drops a step with a NaN/inf loss instead of stopping
    non_finite_loss=dict(type='NonFiniteLossHook', action='stop'),
    skipped_videos=dict(type='SkippedVideosHook'),
    # cls_head.num_classes against the data sets' classes and labels
    num_class_check=dict(type='NumClassCheckHook'),
    # what the model trains (set when it is built), logged at the start
    param_report=dict(type='ParamReportHook'))

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'))

log_processor = dict(type='LogProcessor', window_size=20, by_epoch=True)

vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='ActionVisualizer', vis_backends=vis_backends)

log_level = 'INFO'
load_from = None
resume = False
