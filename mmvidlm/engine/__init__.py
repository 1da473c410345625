# Copyright (c) mmvidlm authors. All rights reserved.
import mmvidlm  # noqa: F401  (compatibility fixes first)
import mmaction.engine  # noqa: F401,E402  (MMAction2's hooks, optimizers)
import mmaction.visualization  # noqa: F401,E402  (ActionVisualizer)

from .model_wrappers import CPUDistributedDataParallel  # noqa: E402

__all__ = ['CPUDistributedDataParallel']
