# Copyright (c) mmvidlm authors. All rights reserved.
"""ToMe: token merging inside each frame (Bolya et al., ICLR 2023), the
token-merging baseline of InTI (ECCV 2024, Table 2)."""
from typing import Tuple

import torch
import torch.nn.functional as F

from mmvidlm.registry import MODELS
from .token_reduction import TokenReduction, num_kept


@MODELS.register_module()
class TokenMerging(TokenReduction):
    """Bipartite soft matching inside each frame (ToMe).

    The patch tokens of a frame are split alternately into sets A and B; each
    A token is matched to its most similar B token (cosine similarity of the
    features), and the ``r`` most similar A tokens are merged into their
    matches by a size-weighted average. Token sizes (how many input patches
    a token stands for) are carried from one merge to the next. The [CLS]
    token is never merged. ``(B, T, N, C) -> (B, T, N', C)`` with
    ``N' - 1 = round(keep_ratio * (N - 1))``, bounded below by half the
    patches (a bipartite step merges at most the A set).

    Args: see :class:`TokenReduction`.
    """

    def forward(self, x: torch.Tensor,
                size: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Merge tokens.

        Args:
            x (Tensor): Tokens (B, T, N, C).
            size (Tensor): Patches per token (B, T, N, 1).

        Returns:
            tuple: Merged tokens (B, T, N', C) and their sizes (B, T, N', 1).
        """
        cls, patches = x[:, :, :1], x[:, :, 1:]
        cls_size, patch_size = size[:, :, :1], size[:, :, 1:]
        P = patches.shape[2]
        r = min(P - num_kept(P, self.keep_ratio), (P + 1) // 2)
        if r <= 0:
            return x, size
        metric = F.normalize(patches, dim=-1)
        scores = metric[:, :, ::2] @ metric[:, :, 1::2].transpose(-1, -2)
        best, match = scores.max(dim=-1)  # for every A token
        order = best.argsort(dim=-1, descending=True)[..., None]
        src, kept_a = order[:, :, :r], order[:, :, r:]
        dst = match[..., None].gather(2, src)

        weighted = patches * patch_size
        set_a, set_b = weighted[:, :, ::2], weighted[:, :, 1::2]
        size_a, size_b = patch_size[:, :, ::2], patch_size[:, :, 1::2]
        C = x.shape[-1]
        # Size-weighted average: sum (size * x) and size, then divide.
        set_b = set_b.scatter_add(2, dst.expand(-1, -1, -1, C),
                                  set_a.gather(2, src.expand(-1, -1, -1, C)))
        size_b = size_b.scatter_add(2, dst, size_a.gather(2, src))
        set_a = set_a.gather(2, kept_a.expand(-1, -1, -1, C))
        size_a = size_a.gather(2, kept_a)
        new_size = torch.cat([cls_size, size_a, size_b], dim=2)
        merged = torch.cat([set_a, set_b], dim=2) / new_size[:, :, 1:]
        return torch.cat([cls, merged], dim=2), new_size
