# Copyright (c) mmvidlm authors. All rights reserved.
from .checkpoint_hook import (AtomicLocalBackend, SafeCheckpointHook,
                              atomic_write)
from .logger_hook import MainProcessLoggerHook
from .non_finite_loss_hook import NonFiniteLossHook
from .num_class_check_hook import NumClassCheckHook
from .param_report_hook import ParamReportHook
from .skipped_videos_hook import SkippedVideosHook

__all__ = [
    'AtomicLocalBackend', 'MainProcessLoggerHook', 'NonFiniteLossHook',
    'NumClassCheckHook', 'ParamReportHook', 'SafeCheckpointHook',
    'SkippedVideosHook', 'atomic_write'
]
