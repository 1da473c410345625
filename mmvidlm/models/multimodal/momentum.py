# Copyright (c) mmvidlm authors. All rights reserved.
"""The momentum parts of BLIP's contrastive training (ALBEF's "momentum
distillation"): momentum copies of the encoders and a queue of their
features."""
import logging
from typing import Iterable

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.logging import print_log
from mmengine.model import ExponentialMovingAverage


class MomentumCopy(ExponentialMovingAverage):
    """A frozen copy of a module that follows it as BLIP's momentum encoders
    do: ``param_m = momentum * param_m + (1 - momentum) * param`` at every
    ``update_parameters(module)``.

    MMEngine's ``ExponentialMovingAverage`` weighs the *new* value by its
    ``momentum``, so it gets ``1 - momentum``. Its first update (``steps``
    0) starts the copy from the online module, as BLIP's ``copy_params``
    does at construction; this way the copy also holds online weights loaded
    after construction (e.g. by ``init_cfg``). Parameters that a checkpoint
    gave the copy itself (BLIP's ``*_m`` weights, see :meth:`note_loaded`)
    are not copied over: the first update applies the formula to them, as
    the reference, which loads its checkpoint after ``copy_params``.

    Args:
        module (nn.Module): The online module.
        momentum (float): BLIP's momentum ``m`` in [0, 1), e.g. 0.995.
    """

    def __init__(self, module: nn.Module, momentum: float):
        if not 0 <= momentum < 1:
            raise ValueError(f'momentum must be in [0, 1), got {momentum}.')
        super().__init__(module, momentum=1 - momentum)
        #: Names of the copy's parameters loaded from a checkpoint before
        #: the first update, which that update keeps.
        self.loaded = set()

    def note_loaded(self, keys: Iterable[str]) -> None:
        """Tell the copy which of its state-dict keys (relative to it, e.g.
        ``module.layers.0.ln1.weight``) a checkpoint has just set.

        A checkpoint with ``steps`` (one of this class, e.g. an mmvidlm
        checkpoint) says itself whether its weights were initialised: its
        ``steps`` is restored, and a copy saved before any update (``steps``
        0) is copied from the online module at the first update as usual.
        Without ``steps`` (an upstream BLIP checkpoint) the loaded
        parameters are the momentum weights the first update keeps.

        Args:
            keys (Iterable[str]): The keys loaded.
        """
        keys = set(keys)
        if 'steps' in keys:
            self.loaded = set()
            return
        self.loaded |= {
            k[len('module.'):]
            for k in keys if k.startswith('module.')
        } & set(self.avg_parameters)

    @torch.no_grad()
    def update_parameters(self, model: nn.Module) -> None:
        """Follow ``model`` (see the class); the first update copies the
        parameters that no checkpoint loaded."""
        if self.steps > 0 or not self.loaded:
            super().update_parameters(model)
            return
        online = dict(model.named_parameters())
        for name, param in self.avg_parameters.items():
            source = online[name].to(param.device)
            if name in self.loaded:
                self.avg_func(param, source, self.steps)
            else:
                param.copy_(source)
        # As the parent: buffers (none in BLIP's encoders) follow the model.
        for b_avg, b_src in zip(self.module.buffers(), model.buffers()):
            b_avg.copy_(b_src.to(b_avg.device))
        self.steps += 1
        self.loaded = set()


class FeatureQueue(nn.Module):
    """First-in first-out queue of the momentum encoders' normalised video
    and text features and the video index of each, the extra ITC keys of
    BLIP's retrieval training.

    The buffers keep BLIP's layouts and initial values (random unit
    features, index -100 that matches no video): ``video_queue`` and
    ``text_queue`` (D, size), ``idx_queue`` (1, size), ``ptr_queue`` (1,).
    Unlike BLIP, ``size`` need not be a multiple of the global batch: a
    push that passes the end wraps around to the start. A checkpoint's
    queue (BLIP's ``image_queue`` ... ``ptr_queue``) loads when its shape
    fits; one of another shape is skipped with a warning, as the reference
    drops it.

    ``alpha`` is the weight of the momentum encoders' soft targets in the
    ITC loss (BLIP's momentum distillation). It lives here, as in
    MMPretrain's ``ITCHead``, so that MMPretrain's ``WarmupParamHook``
    (``module_name='queue', param_name='alpha'``) can ramp it up.

    Args:
        size (int): Number of queued pairs.
        dim (int): Feature dimension.
        alpha (float): Weight of the soft targets. Defaults to 0.
    """

    def __init__(self, size: int, dim: int, alpha: float = 0.):
        super().__init__()
        if size < 1:
            raise ValueError(f'The queue size must be >= 1, got {size}.')
        self.size = size
        self.alpha = alpha
        self.register_buffer('video_queue',
                             F.normalize(torch.randn(dim, size), dim=0))
        self.register_buffer('text_queue',
                             F.normalize(torch.randn(dim, size), dim=0))
        self.register_buffer('idx_queue',
                             torch.full((1, size), -100, dtype=torch.long))
        self.register_buffer('ptr_queue', torch.zeros(1, dtype=torch.long))
        self._register_load_state_dict_pre_hook(self._report_other_size)

    def _report_other_size(self, state_dict: dict, prefix: str, *args) -> None:
        """Say when a checkpoint's queue has another shape (e.g. BLIP's
        57600 pairs of 256-d features): loading skips it and the queue
        keeps its random start, as the reference's ``load_checkpoint``
        drops tensors of another shape (models/blip.py)."""
        queue = state_dict.get(prefix + 'video_queue')
        if queue is None or queue.shape == self.video_queue.shape:
            return
        print_log(
            f"The checkpoint's feature queue {prefix}video_queue is "
            f'{tuple(queue.shape)}, this model\'s (D, queue_size) is '
            f'{tuple(self.video_queue.shape)}: video_queue, text_queue and '
            'idx_queue of another shape are not loaded and the queue starts '
            'random (as the reference drops them); ptr_queue is loaded.',
            logger='current',
            level=logging.WARNING)

    @torch.no_grad()
    def push(self, video_feat: torch.Tensor, text_feat: torch.Tensor,
             idx: torch.Tensor) -> None:
        """Replace the oldest entries by (N, D) features and (N,) indices
        (the whole global batch, the same on every process)."""
        n = len(idx)
        if n > self.size:  # only the last `size` pairs survive the push
            video_feat, text_feat, idx = (video_feat[-self.size:],
                                          text_feat[-self.size:],
                                          idx[-self.size:])
            n = self.size
        ptr = int(self.ptr_queue)
        slots = (ptr + torch.arange(n, device=idx.device)) % self.size
        self.video_queue[:, slots] = video_feat.t().to(self.video_queue)
        self.text_queue[:, slots] = text_feat.t().to(self.text_queue)
        self.idx_queue[0, slots] = idx.to(self.idx_queue)
        self.ptr_queue[0] = (ptr + n) % self.size
