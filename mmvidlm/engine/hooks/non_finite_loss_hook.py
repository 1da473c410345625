# Copyright (c) mmvidlm authors. All rights reserved.
import functools

import torch
from mmengine.dist import all_reduce
from mmengine.hooks import Hook
from mmengine.optim import OptimWrapperDict

from mmvidlm.registry import HOOKS


@HOOKS.register_module()
class NonFiniteLossHook(Hook):
    """Stop the run, or skip the step, when the loss is NaN or infinite.

    The check runs in the optimizer wrapper's ``update_params``, before
    ``backward`` and the optimizer step, so non-finite values never reach
    the weights (nor a checkpoint). It works with every optimizer wrapper
    (plain, AMP, one per sub-model). In distributed training the ranks agree
    on the decision (one all-reduce of a flag), so no rank waits for a
    backward the others skip.

    Args:
        action (str): ``'stop'`` raises ``FloatingPointError`` naming the
            iteration; ``'skip'`` drops the step (no backward, no update)
            and logs a warning. Defaults to ``'stop'``.
        max_skips (int): With ``'skip'``, the run stops after this many
            skipped steps in total. Defaults to 10.
    """

    priority = 'VERY_HIGH'

    def __init__(self, action: str = 'stop', max_skips: int = 10):
        if action not in ('stop', 'skip'):
            raise ValueError(
                f"NonFiniteLossHook action must be 'stop' or 'skip', got "
                f'{action!r}')
        self.action = action
        self.max_skips = max_skips
        self.skipped = 0

    def before_train(self, runner) -> None:
        wrappers = runner.optim_wrapper
        if not isinstance(wrappers, OptimWrapperDict):
            wrappers = dict(optim_wrapper=wrappers)
        for wrapper in wrappers.values():
            wrapper.update_params = self._guard(runner, wrapper.update_params)

    def _guard(self, runner, update_params):

        @functools.wraps(update_params)
        def guarded(loss: torch.Tensor, *args, **kwargs):
            bad = (~torch.isfinite(loss.detach())).any().float()
            all_reduce(bad)  # no-op without a process group
            if not bad.item():
                return update_params(loss, *args, **kwargs)
            message = (f'Non-finite loss ({loss.detach().float().mean()}) at '
                       f'iteration {runner.iter + 1} (epoch '
                       f'{runner.epoch + 1}) on at least one rank')
            if self.action == 'skip' and self.skipped < self.max_skips:
                self.skipped += 1
                runner.logger.warning(
                    f'{message}: step skipped, weights unchanged '
                    f'({self.skipped}/{self.max_skips} skips allowed).')
                return None
            reason = (f'{self.max_skips} steps were already skipped'
                      if self.action == 'skip' else 'the weights were not '
                      'updated with it; the last checkpoint is clean')
            raise FloatingPointError(
                f'{message}; training stopped ({reason}). Lower the learning '
                'rate, clip gradients or check the data; '
                "default_hooks.non_finite_loss.action='skip' drops such "
                'steps instead.')

        return guarded
