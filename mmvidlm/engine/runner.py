# Copyright (c) mmvidlm authors. All rights reserved.
import logging

from mmengine.runner import Runner

from mmvidlm.registry import RUNNERS


class _Rename(logging.Filter):
    """Replace ``old`` by ``new`` in the records that pass."""

    def __init__(self, old: str, new: str):
        super().__init__()
        self.old, self.new = old, new

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = record.msg.replace(self.old, self.new)
        return True


@RUNNERS.register_module()
class CPUDistributedRunner(Runner):
    """MMEngine's ``Runner`` for several CPU processes (gloo backend).

    Identical to MMEngine's but for its environment log, which calls the
    number of processes "GPU number" (the same log reports the gloo backend,
    as :func:`mmvidlm.utils.setup_cpu_distributed` sets ``env_cfg``).
    :func:`~mmvidlm.utils.setup_cpu_distributed` selects it
    (``runner_type``) when no GPU is visible.
    """

    def _log_env(self, env_cfg: dict) -> None:
        # MMEngine 0.10's _log_env writes 'GPU number: <world size>'.
        rename = _Rename('GPU number:', 'CPU processes:')
        self.logger.addFilter(rename)
        try:
            super()._log_env(env_cfg)
        finally:
            self.logger.removeFilter(rename)
