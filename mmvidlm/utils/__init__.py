# Copyright (c) mmvidlm authors. All rights reserved.
from .checkpoint_pickle import register_checkpoint_loader
from .compat import check_versions, patch_mmaction_drn
from .setup_env import register_all_modules, setup_cpu_distributed

__all__ = [
    'check_versions', 'patch_mmaction_drn', 'register_checkpoint_loader',
    'register_all_modules', 'setup_cpu_distributed'
]
