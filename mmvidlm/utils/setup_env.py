# Copyright (c) mmvidlm authors. All rights reserved.
import atexit
import datetime
import os

import torch
import torch.distributed as dist
from mmengine.config import Config
from mmengine.registry import RUNNERS, DefaultScope
from mmengine.runner import Runner


def register_all_modules(init_default_scope: bool = True) -> None:
    """Register mmvidlm's modules (and MMAction2's) in their registries.

    Args:
        init_default_scope (bool): Whether to set the default scope to
            ``'mmvidlm'``, so that modules are looked up in mmvidlm's
            registries first. Defaults to True.
    """
    import mmvidlm.datasets  # noqa: F401
    import mmvidlm.engine  # noqa: F401
    import mmvidlm.evaluation  # noqa: F401
    import mmvidlm.models  # noqa: F401
    if not init_default_scope:
        return
    current = DefaultScope.get_current_instance()
    if current is None or current.scope_name != 'mmvidlm':
        name = f'mmvidlm-{datetime.datetime.now()}'
        DefaultScope.get_instance(name, scope_name='mmvidlm')


def _destroy_process_group() -> None:
    if dist.is_initialized():
        dist.destroy_process_group()


def setup_cpu_distributed(cfg: Config, launcher: str) -> None:
    """Prepare a multi-process run on machines without a GPU.

    MMEngine's launchers call ``torch.cuda.set_device`` and its runner passes
    ``device_ids`` to DDP, both of which fail without CUDA. When no GPU is
    visible, we start the gloo process group from torchrun's environment
    ourselves (the runner then skips ``init_dist``) and wrap the model with
    :class:`mmvidlm.engine.CPUDistributedDataParallel`. The logs say what
    runs: ``env_cfg.dist_cfg.backend`` becomes ``'gloo'`` and, unless the
    config names a ``runner_type``,
    :class:`mmvidlm.engine.CPUDistributedRunner` counts "CPU processes"
    where MMEngine writes "GPU number". With a GPU, nothing is changed.

    Args:
        cfg (Config): The experiment config; ``model_wrapper_cfg`` and
            ``runner_type`` are set if the user did not set them.
        launcher (str): The job launcher (``'none'`` does nothing).
    """
    if launcher == 'none' or torch.cuda.is_available():
        return
    if launcher != 'pytorch':
        raise RuntimeError(
            f'Launcher {launcher!r} needs GPUs; on a CPU-only machine use '
            '`tools/dist_train.sh` (torchrun, gloo backend).')
    if not dist.is_initialized():
        missing = [
            k for k in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT')
            if k not in os.environ
        ]
        if missing:
            raise RuntimeError(
                f'--launcher pytorch needs torchrun\'s variables {missing}; '
                'start the job with tools/dist_train.sh.')
        dist.init_process_group(backend='gloo')
        # Destroyed before the interpreter's teardown, or gloo's threads
        # may abort the exit ("terminate called without an active
        # exception", SIGABRT) after a successful run (pytorch#190489).
        atexit.register(_destroy_process_group)
    cfg.setdefault('model_wrapper_cfg',
                   dict(type='CPUDistributedDataParallel'))
    cfg.setdefault('runner_type', 'CPUDistributedRunner')
    env_cfg = cfg.setdefault('env_cfg', dict())
    env_cfg.setdefault('dist_cfg', dict())['backend'] = 'gloo'


def build_runner(cfg: Config) -> Runner:
    """The runner of a config: the class its ``runner_type`` names, else
    MMEngine's ``Runner`` (as MMAction2's tools do).

    Args:
        cfg (Config): The experiment config.

    Returns:
        Runner: The runner.
    """
    if 'runner_type' in cfg:
        return RUNNERS.build(cfg)
    return Runner.from_cfg(cfg)
