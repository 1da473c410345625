# Copyright (c) mmvidlm authors. All rights reserved.
"""ToMe: token merging inside each frame (Bolya et al., ICLR 2023), the
token-merging baseline of InTI (ECCV 2024, Table 2): the bipartite soft
matching both :class:`~mmvidlm.models.layers.ToMeLayer` (the paper's
setting) and the two-point ablation :class:`TokenMerging` use."""
from typing import Tuple

import torch
import torch.nn.functional as F

from mmvidlm.registry import MODELS
from .token_reduction import TokenLayout, TokenReduction, num_kept


def bipartite_merge(x: torch.Tensor, layout: TokenLayout, metric: torch.Tensor,
                    r: int) -> Tuple[torch.Tensor, TokenLayout]:
    """Bipartite soft matching inside each frame (ToMe, Sec. 3).

    The tokens of a frame are split alternately into sets A (even indices,
    the [CLS] token first) and B; each A token is matched to its most
    similar B token (cosine similarity of ``metric``), and the ``r`` A
    tokens with the most similar matches are merged into them by a
    size-weighted average. The [CLS] token is never merged (similarity
    -inf) and stays first.

    Args:
        x (Tensor): Tokens (B, T, N, C).
        layout (TokenLayout): Their layout (sizes, grid positions).
        metric (Tensor): What is compared (B, T, N, D): the attention keys
            in ToMe.
        r (int): Tokens merged per frame, at most (N - 1) // 2.

    Returns:
        tuple: Merged tokens (B, T, N - r, C) and their layout.
    """
    N, C = x.shape[2:]
    r = min(r, (N - 1) // 2)
    if r <= 0:
        return x, layout
    with torch.no_grad():
        metric = F.normalize(metric, dim=-1)
        scores = metric[:, :, ::2] @ metric[:, :, 1::2].transpose(-1, -2)
        scores[:, :, 0] = float('-inf')  # the [CLS] token
        best, match = scores.max(dim=-1)  # (B, T, N_A)
        order = best.argsort(dim=-1, descending=True)
        src = order[..., :r]
        kept_a = order[..., r:].sort(dim=-1).values  # [CLS] stays first
        dst = match.gather(2, src)
    num_a = kept_a.shape[2]

    def reduce(values: torch.Tensor) -> torch.Tensor:
        """Sum the merged A values into their B matches: (B, T, N, D) ->
        (B, T, N - r, D), unmerged A tokens first."""
        D = values.shape[-1]
        set_a, set_b = values[:, :, ::2], values[:, :, 1::2]
        set_b = set_b.scatter_add(
            2, dst[..., None].expand(-1, -1, -1, D),
            set_a.gather(2, src[..., None].expand(-1, -1, -1, D)))
        set_a = set_a.gather(2, kept_a[..., None].expand(-1, -1, -1, D))
        return torch.cat([set_a, set_b], dim=2)

    size = reduce(layout.size)
    merged = reduce(x * layout.size) / size  # size-weighted average
    # Where every old token went: A kept / merged, then B after the A ones.
    new_a = torch.arange(num_a, device=x.device).expand_as(kept_a)
    mapping = torch.empty_like(layout.size[..., 0], dtype=torch.long)
    mapping[:, :, ::2] = torch.empty_like(match).scatter(
        2, kept_a, new_a).scatter(2, src, num_a + dst)
    mapping[:, :, 1::2] = num_a + torch.arange(
        N // 2, device=x.device).expand(*x.shape[:2], -1)
    return merged, layout.remap(mapping, size)


@MODELS.register_module()
class TokenMerging(TokenReduction):
    """ToMe between two blocks (the two-point ablation of the ToMe
    baseline): bipartite soft matching (:func:`bipartite_merge`) on the
    token features, merging each frame down to ``N' - 1 = round(keep_ratio
    * (N - 1))`` patch tokens, bounded below by half of them (one bipartite
    step merges at most the A set). ``(B, T, N, C) -> (B, T, N', C)``.

    Args: see :class:`TokenReduction`.
    """

    def forward(self, x: torch.Tensor,
                layout: TokenLayout) -> Tuple[torch.Tensor, TokenLayout]:
        """Merge tokens.

        Args:
            x (Tensor): Tokens (B, T, N, C).
            layout (TokenLayout): Their layout.

        Returns:
            tuple: Merged tokens (B, T, N', C) and their layout.
        """
        P = x.shape[2] - 1
        return bipartite_merge(x, layout, x, P - num_kept(P, self.keep_ratio))
