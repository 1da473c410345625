# Copyright (c) mmvidlm authors. All rights reserved.
from .checkpoint_pickle import register_checkpoint_loader
from .compat import check_versions, patch_mmaction_drn
from .progress import progress_bar
from .setup_env import (build_runner, register_all_modules,
                        setup_cpu_distributed)

__all__ = [
    'check_versions', 'patch_mmaction_drn', 'register_checkpoint_loader',
    'progress_bar', 'build_runner', 'register_all_modules',
    'setup_cpu_distributed'
]
