# Copyright (c) mmvidlm authors. All rights reserved.
"""A two-point ablation of the STA baseline of InTI (ECCV 2024, Table 2):
STA-like scoring between two blocks (STA as its paper:
:class:`~mmvidlm.models.layers.STALayer`)."""
import math
from typing import Tuple

import torch
import torch.nn.functional as F

from mmvidlm.registry import MODELS
from .token_reduction import TokenLayout, TokenReduction, num_kept


@MODELS.register_module()
class TemporalAccumulationPruning(TokenReduction):
    """Prune the patch tokens of every frame by their STA score.

    Semantic importance of a patch token is its [CLS] attention within its
    frame (softmax of scaled dot products with the frame's [CLS] token).
    Temporal redundancy is its highest cosine similarity to a token of the
    previous frame. A token keeps the part of its importance that is new
    (``importance * (1 - redundancy)``) and passes the redundant part to its
    match in the previous frame, last frame first, so the score of a token
    accumulates over the later frames in which it reappears. Every frame
    keeps its ``round(keep_ratio * (N - 1))`` best patch tokens, in their
    original order, and its [CLS] token: ``(B, T, N, C) -> (B, T, N', C)``.

    This is STA's scoring computed between two blocks, from token features
    (the attention maps of the block are not exposed there).

    Args: see :class:`~mmvidlm.models.layers.token_reduction.TokenReduction`.
    """

    @torch.no_grad()
    def scores(self, x: torch.Tensor) -> torch.Tensor:
        """STA scores (B, T, N-1) of the patch tokens of (B, T, N, C)."""
        cls, patches = x[:, :, :1], x[:, :, 1:]
        importance = (cls @ patches.transpose(-1, -2)).squeeze(2)
        importance = (importance / math.sqrt(x.shape[-1])).softmax(dim=-1)
        if x.shape[1] == 1:
            return importance
        metric = F.normalize(patches, dim=-1)
        # (B, T-1, P, P): tokens of frame t against those of frame t-1
        sim = metric[:, 1:] @ metric[:, :-1].transpose(-1, -2)
        redundancy, match = sim.clamp(min=0).max(dim=-1)
        scores = list(importance.unbind(dim=1))
        for t in range(x.shape[1] - 1, 0, -1):  # last frame first
            passed = scores[t] * redundancy[:, t - 1]
            scores[t] = scores[t] - passed
            scores[t - 1] = scores[t - 1].scatter_add(1, match[:, t - 1],
                                                      passed)
        return torch.stack(scores, dim=1)

    def forward(self, x: torch.Tensor,
                layout: TokenLayout) -> Tuple[torch.Tensor, TokenLayout]:
        """Prune tokens.

        Args:
            x (Tensor): Tokens (B, T, N, C).
            layout (TokenLayout): Their layout.

        Returns:
            tuple: Kept tokens (B, T, N', C) and their layout.
        """
        P = x.shape[2] - 1
        k = num_kept(P, self.keep_ratio)
        if k == P:
            return x, layout
        keep = self.scores(x).topk(k, dim=-1).indices.sort(dim=-1).values
        # +1: skip [CLS]; (B, T, k) -> (B, T, 1 + k)
        index = F.pad(keep + 1, (1, 0))
        return x.gather(2, index[...,
                                 None].expand(-1, -1, -1,
                                              x.shape[-1])), layout.keep(index)
