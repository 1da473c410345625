# Copyright (c) mmvidlm authors. All rights reserved.
from mmengine.dist import is_main_process
from mmengine.hooks import LoggerHook

from mmvidlm.registry import HOOKS


@HOOKS.register_module()
class MainProcessLoggerHook(LoggerHook):
    """MMEngine's ``LoggerHook`` whose test metrics file is written once.

    MMEngine 0.10.7 dumps the test metrics to ``{timestamp}.json`` from
    every rank at once, into the same file (the ranks share the timestamp),
    which leaves it garbled after a multi-process test. Here only the main
    process writes it (the others log nothing either way).
    """

    def after_test_epoch(self, runner, metrics=None) -> None:
        if is_main_process():
            super().after_test_epoch(runner, metrics)
