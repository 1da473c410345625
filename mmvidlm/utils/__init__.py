# Copyright (c) mmvidlm authors. All rights reserved.
from .compat import (check_versions, patch_mmaction_drn,
                     register_checkpoint_safe_globals)
from .progress import progress_bar
from .setup_env import (build_runner, register_all_modules,
                        setup_cpu_distributed)

__all__ = [
    'check_versions', 'patch_mmaction_drn', 'register_checkpoint_safe_globals',
    'progress_bar', 'build_runner', 'register_all_modules',
    'setup_cpu_distributed'
]
