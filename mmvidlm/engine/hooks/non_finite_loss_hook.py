# Copyright (c) mmvidlm authors. All rights reserved.
import functools
from itertools import chain

import torch
from mmengine.dist import all_reduce
from mmengine.hooks import Hook
from mmengine.optim import OptimWrapperDict
from torch.nn.utils import get_total_norm

from mmvidlm.registry import HOOKS


def all_finite(tensors: list) -> bool:
    """Whether every tensor is finite on every rank.

    One fused L2 norm over the tensors (NaN and inf propagate; much
    cheaper on CPU than a max-abs) and one all-reduce of the flag (a no-op
    without a process group). Only when that norm is not finite, which huge
    finite values can also cause, is each tensor checked exactly.
    """
    device = tensors[0].device if tensors else None

    def agreed(bad) -> bool:
        bad = torch.as_tensor(bad, dtype=torch.float32, device=device)
        all_reduce(bad)  # on the tensors' device (NCCL needs CUDA)
        return not bad.item()

    if agreed(~torch.isfinite(get_total_norm(tensors, 2.0))):
        return True
    return agreed(float(not all(torch.isfinite(t).all() for t in tensors)))


def last_clean_checkpoint(runner) -> str:
    """The last checkpoint of the run, in words (or that there is none)."""
    last = runner.message_hub.get_info('last_ckpt')
    return (f'the last checkpoint, {last}, is clean'
            if last else 'no checkpoint was saved yet')


def check_finite_weights(runner, what: str) -> None:
    """Refuse to save non-finite weights (the model's floating parameters
    and buffers).

    Args:
        runner: The runner.
        what (str): What would be saved, for the message.

    Raises:
        FloatingPointError: Naming the non-finite tensors and the last
            clean checkpoint.
    """
    model = runner.model
    named = [
        (name, t)
        for name, t in chain(model.named_parameters(), model.named_buffers())
        if t.is_floating_point()
    ]
    if all_finite([t.detach() for _, t in named]):
        return
    bad = [name for name, t in named if not torch.isfinite(t).all()]
    raise FloatingPointError(
        f'{len(bad)} weight tensor(s) are not finite (e.g. '
        f'{", ".join(bad[:3])}): {what} is not written '
        f'and training stopped; {last_clean_checkpoint(runner)}. Lower the '
        'learning rate or clip gradients.')


@HOOKS.register_module()
class NonFiniteLossHook(Hook):
    """Stop the run, or skip the step, when the loss or a gradient is NaN or
    infinite.

    The loss is checked in the optimizer wrapper's ``update_params`` before
    ``backward``, the gradients in its ``step`` before the optimizer updates
    the weights (one fused max-abs over them), so non-finite values never
    reach the weights (nor a checkpoint). Gradients are not checked under a
    loss scaler (AMP with fp16), which skips such steps itself. It works with
    every optimizer wrapper (plain, AMP, one per sub-model). In distributed
    training the ranks agree on the decision (one all-reduce of a flag), so
    no rank waits for a backward the others skip. ``SafeCheckpointHook``
    also refuses to write non-finite weights, so the last checkpoint the
    message names is clean.

    Args:
        action (str): ``'stop'`` raises ``FloatingPointError`` naming the
            iteration; ``'skip'`` drops the step (no update) and logs a
            warning. Defaults to ``'stop'``.
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
            wrapper.update_params = self._guard_loss(runner,
                                                     wrapper.update_params)
            if getattr(wrapper, 'loss_scaler', None) is None:
                wrapper.step = self._guard_grads(runner, wrapper)

    def _guard_loss(self, runner, update_params):

        @functools.wraps(update_params)
        def guarded(loss: torch.Tensor, *args, **kwargs):
            if all_finite([loss.detach()]):
                return update_params(loss, *args, **kwargs)
            return self._non_finite(
                runner, f'Non-finite loss ({loss.detach().float().mean()})')

        return guarded

    def _guard_grads(self, runner, wrapper):
        step = wrapper.step

        @functools.wraps(step)
        def guarded(*args, **kwargs):
            grads = [
                p.grad.detach() for group in wrapper.param_groups
                for p in group['params'] if p.grad is not None
            ]
            if all_finite(grads):
                return step(*args, **kwargs)
            return self._non_finite(runner, 'Non-finite gradients')

        return guarded

    def _non_finite(self, runner, what: str) -> None:
        """Skip the step (returns None) or stop (raises)."""
        message = (f'{what} at iteration {runner.iter + 1} (epoch '
                   f'{runner.epoch + 1}) on at least one rank')
        if self.action == 'skip' and self.skipped < self.max_skips:
            self.skipped += 1
            runner.logger.warning(
                f'{message}: step skipped, weights unchanged '
                f'({self.skipped}/{self.max_skips} skips allowed).')
            return None
        reason = (f'{self.max_skips} steps were already skipped'
                  if self.action == 'skip' else 'the weights were not '
                  f'updated with it; {last_clean_checkpoint(runner)}')
        raise FloatingPointError(
            f'{message}; training stopped ({reason}). Lower the learning '
            'rate, clip gradients or check the data; '
            "default_hooks.non_finite_loss.action='skip' drops such "
            'steps instead.')
