# Copyright (c) mmvidlm authors. All rights reserved.
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmvidlm.models.utils.param_report import param_report
from mmvidlm.registry import HOOKS


@HOOKS.register_module()
class ParamReportHook(Hook):
    """Log the updated-parameter report
    (:func:`~mmvidlm.models.utils.param_report`) when training starts.

    What a model trains is set when it is built (its ``trainable`` specs),
    so the report reads the built model; no optimizer is involved.
    """
    priority = 'VERY_LOW'

    def before_train(self, runner) -> None:
        model = runner.model
        model = model.module if is_model_wrapper(model) else model
        runner.logger.info('Updated parameters:\n' + param_report(model))
