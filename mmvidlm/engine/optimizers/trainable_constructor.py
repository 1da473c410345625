# Copyright (c) mmvidlm authors. All rights reserved.
import re
from typing import Dict, List, Optional, Sequence, Union

import torch.nn as nn
from mmengine.logging import MMLogger
from mmengine.model import is_model_wrapper
from mmengine.optim import DefaultOptimWrapperConstructor, OptimWrapper
from torch.nn.parallel import DistributedDataParallel

from mmvidlm.models.utils.param_report import param_report
from mmvidlm.registry import OPTIM_WRAPPER_CONSTRUCTORS


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class TrainableParamsOptimWrapperConstructor(DefaultOptimWrapperConstructor):
    """Train the parameters named by patterns; freeze everything else.

    The one freezing mechanism of every parameter-efficient method in
    mmvidlm (Token Mixing partial fine-tuning, Adapter, ST-Adapter, BitFit,
    Dual-channel attention, Temporal fine-tuning). The config names what is
    trained, in groups that say which part of the model it belongs to::

        optim_wrapper = dict(
            constructor='TrainableParamsOptimWrapperConstructor',
            optimizer=dict(type='AdamW', lr=1e-5),
            paramwise_cfg=dict(trainable=dict(
                visual=[r'backbone\\.layers\\.11\\.'],
                projection=[r'vision_proj\\.'])))

    Every pattern is matched against full parameter names from their start
    (``re.match``), so ``r'backbone\\..*\\.bias$'`` selects the encoder's
    biases. Parameters matched by no pattern get ``requires_grad=False`` and
    are left out of the optimizer. A pattern that matches no parameter is an
    error: it is almost always a typo or a renamed module. Without a
    ``trainable`` key nothing is frozen. The other ``paramwise_cfg`` options
    of MMEngine's :class:`DefaultOptimWrapperConstructor` (``custom_keys``,
    ``bias_decay_mult``, ...) apply to the trained parameters as usual.

    The freezing happens when the runner builds the optimizer, at the start
    of training, before any weight is loaded (loading copies values and
    keeps ``requires_grad``); the runner's log then shows the
    updated-parameter report (:func:`mmvidlm.models.utils.param_report`).
    A model already wrapped in DistributedDataParallel gets its gradient
    reducer rebuilt, so that it does not wait for gradients of the frozen
    parameters. Frozen parts stay in eval mode (no dropout, drop-path or
    batch-norm statistics updates) whatever ``model.train()`` the loops
    call: see :func:`keep_frozen_in_eval`.

    Args:
        optim_wrapper_cfg (dict): The optimizer wrapper config, as for
            :class:`DefaultOptimWrapperConstructor`.
        paramwise_cfg (dict, optional): MMEngine's paramwise options plus
            ``trainable`` (dict[str, str | list[str]]): groups of regular
            expressions of the parameters to train. Defaults to None.
    """

    def __init__(self,
                 optim_wrapper_cfg: dict,
                 paramwise_cfg: Optional[dict] = None):
        # Tied weights (BLIP's LM-head bias) would reach the optimizer twice;
        # a non-empty paramwise_cfg also makes MMEngine add parameters one by
        # one, and so only the trainable ones.
        paramwise_cfg = dict(
            dict(bypass_duplicate=True), **(paramwise_cfg or {}))
        super().__init__(optim_wrapper_cfg, paramwise_cfg)
        trainable = self.paramwise_cfg.get('trainable')
        self.trainable = self._parse_trainable(trainable)

    @staticmethod
    def _parse_trainable(
        trainable: Optional[Dict[str, Union[str, Sequence[str]]]]
    ) -> Optional[Dict[str, List[re.Pattern]]]:
        if trainable is None:
            return None
        if not isinstance(trainable, dict):
            raise TypeError('paramwise_cfg.trainable must be a dict of '
                            'groups of patterns, e.g. dict(visual=[...]), '
                            f'got {type(trainable).__name__}')
        groups = {}
        for group, patterns in trainable.items():
            if isinstance(patterns, str):
                patterns = [patterns]
            groups[group] = [re.compile(p) for p in patterns]
        return groups

    def freeze(self, model: nn.Module) -> None:
        """Set ``requires_grad`` from ``paramwise_cfg.trainable``.

        Args:
            model (nn.Module): The model (unwrapped).

        Raises:
            ValueError: If a pattern matches no parameter of the model.
        """
        if self.trainable is None:
            return
        names = [name for name, _ in model.named_parameters()]
        for group, patterns in self.trainable.items():
            for pattern in patterns:
                if not any(pattern.match(name) for name in names):
                    raise ValueError(
                        f'paramwise_cfg.trainable[{group!r}]: the pattern '
                        f'{pattern.pattern!r} matches no parameter of '
                        f'{type(model).__name__} (names look like '
                        f'{names[0]!r}).')
        patterns = [p for group in self.trainable.values() for p in group]
        for name, param in model.named_parameters():
            param.requires_grad_(any(p.match(name) for p in patterns))

    def __call__(self, model: nn.Module) -> OptimWrapper:
        module = model.module if is_model_wrapper(model) else model
        self.freeze(module)
        if self.trainable is not None:
            keep_frozen_in_eval(module)
            if isinstance(model, DistributedDataParallel):
                _rebuild_reducer(model)
        MMLogger.get_current_instance().info(
            'Updated parameters:\n' + param_report(module))
        return super().__call__(model)

    def add_params(self, params: List[dict], module: nn.Module,
                   prefix: str = '', **kwargs) -> None:
        """MMEngine's parameter groups, without descending into frozen
        modules (MMEngine skips their parameters one warning at a time)."""
        if any(p.requires_grad for p in module.parameters()):
            super().add_params(params, module, prefix, **kwargs)


def _stay_in_eval(module: nn.Module, args) -> None:
    module.training = False


def keep_frozen_in_eval(model: nn.Module) -> None:
    """Keep the frozen parts of a model in eval mode during training.

    A frozen part is a module whose parameters all have
    ``requires_grad=False``; it and all its submodules get a forward
    pre-hook that clears their ``training`` flag, so dropout, drop-path and
    batch-norm statistics behave as at test time even after the training
    loop's ``model.train()``. Modules outside frozen parts are left alone.

    Args:
        model (nn.Module): The model, after freezing.
    """

    def mark(module: nn.Module) -> None:
        params = list(module.parameters())
        if params and not any(p.requires_grad for p in params):
            for sub in module.modules():
                if not getattr(sub, '_kept_in_eval', False):
                    sub.register_forward_pre_hook(_stay_in_eval)
                    sub._kept_in_eval = True
                sub.training = False
            return
        for child in module.children():
            mark(child)

    mark(model)


def _rebuild_reducer(ddp: DistributedDataParallel) -> None:
    """Make DDP track the parameters that require gradients now.

    DDP picks the parameters it reduces when it is built, which MMEngine's
    runner does before the optimizer (and so before freezing); at the second
    step it would fail, still waiting for gradients of frozen parameters
    ("Expected to have finished reduction ..."). These are the
    calls DDP's own ``__setstate__`` makes to rebuild its reducer.
    """
    parameters, expect_sparse_gradient = ddp._build_params_for_reducer()
    ddp._ddp_init_helper(parameters, expect_sparse_gradient,
                         ddp._build_debug_param_to_name_mapping(parameters),
                         ddp.static_graph)
