# Copyright (c) mmvidlm authors. All rights reserved.
# isort: skip_file (compatibility fixes before MMAction2 is imported)
import mmvidlm  # noqa: F401  (compatibility fixes first)
import mmaction.engine  # noqa: F401,E402  (MMAction2's hooks, optimizers)
import mmaction.visualization  # noqa: F401,E402  (ActionVisualizer)

from .hooks import (
    AtomicLocalBackend,
    MainProcessLoggerHook,  # noqa: E402
    NonFiniteLossHook,
    NumClassCheckHook,
    ParamReportHook,
    SafeCheckpointHook,
    SkippedVideosHook,
    atomic_write)
from .loops import EpochBasedTrainLoop  # noqa: E402
from .model_wrappers import CPUDistributedDataParallel  # noqa: E402
from .retrieval_loops import RetrievalTestLoop, RetrievalValLoop  # noqa: E402
from .runner import CPUDistributedRunner  # noqa: E402

__all__ = [
    'AtomicLocalBackend', 'CPUDistributedDataParallel', 'CPUDistributedRunner',
    'EpochBasedTrainLoop', 'MainProcessLoggerHook', 'NonFiniteLossHook',
    'NumClassCheckHook', 'ParamReportHook', 'RetrievalTestLoop',
    'RetrievalValLoop', 'SafeCheckpointHook', 'SkippedVideosHook',
    'atomic_write'
]
