# Copyright (c) mmvidlm authors. All rights reserved.
"""The momentum parts of BLIP's contrastive training (ALBEF's "momentum
distillation"): momentum copies of the encoders and a queue of their
features."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import ExponentialMovingAverage


def momentum_copy(module: nn.Module,
                  momentum: float) -> ExponentialMovingAverage:
    """A frozen copy of ``module`` that follows it as BLIP's momentum
    encoders do: ``param_m = momentum * param_m + (1 - momentum) * param``
    at every ``update_parameters(module)``.

    MMEngine's ``ExponentialMovingAverage`` weighs the *new* value by its
    ``momentum``, so it gets ``1 - momentum``. Its first update copies the
    parameters (BLIP copies them at construction; this way the copy also
    holds weights loaded after construction, e.g. by ``init_cfg``).

    Args:
        module (nn.Module): The online module.
        momentum (float): BLIP's momentum ``m`` in [0, 1), e.g. 0.995.

    Returns:
        ExponentialMovingAverage: The copy; call it like ``module``.
    """
    if not 0 <= momentum < 1:
        raise ValueError(f'momentum must be in [0, 1), got {momentum}.')
    return ExponentialMovingAverage(module, momentum=1 - momentum)


class FeatureQueue(nn.Module):
    """First-in first-out queue of the momentum encoders' normalised video
    and text features and the video index of each, the extra ITC keys of
    BLIP's retrieval training.

    The buffers keep BLIP's layouts and initial values (random unit
    features, index -100 that matches no video): ``video_queue`` and
    ``text_queue`` (D, size), ``idx_queue`` (1, size), ``ptr_queue`` (1,).
    Unlike BLIP, ``size`` need not be a multiple of the global batch: a
    push that passes the end wraps around to the start.

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
