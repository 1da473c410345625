# Copyright (c) mmvidlm authors. All rights reserved.
"""STA: token pruning by semantic-aware temporal accumulation (Ding et al.,
ICCV 2023), as its paper and released code set it up, for a per-frame ViT:
the token-pruning baseline of InTI (ECCV 2024, Table 2)."""
from typing import Tuple

import torch
import torch.nn.functional as F

from mmvidlm.registry import MODELS
from .token_reduction import TokenLayout, TokenReducingLayer


@torch.no_grad()
def sta_keep(x: torch.Tensor,
             metric: torch.Tensor,
             r: int,
             reverse: bool = False) -> torch.Tensor:
    """The patch tokens every frame keeps after STA pruning.

    The first frame (in scoring order) drops the ``r`` tokens of its A set
    (even patch indices) whose best match in its B set is the most similar
    (ToMe's bipartite matching, without merging). Every next frame scores
    its tokens by their temporal redundancy times their lack of semantics:
    redundancy accumulates along time, ``a_t = softmax_0(M_t M_{t-1}^T)
    w_{t-1}`` (cosine similarities of ``metric`` to the previous frame's
    kept tokens, softmax over the current frame's tokens, weighted by the
    previous frame's accumulated redundancy ``w``, normalised over its kept
    tokens), semantics is the per-token sum of absolute feature values,
    min-max normalised in the frame; the ``r`` tokens with the largest
    ``a_t * (1 - semantics)`` are pruned.

    Args:
        x (Tensor): Tokens (B, T, N, C), [CLS] first.
        metric (Tensor): The block's attention keys averaged over heads
            (B, T, N, D).
        r (int): Patch tokens pruned per frame, at most half of them.
        reverse (bool): Score the frames last to first. Defaults to False.

    Returns:
        Tensor: Indices (B, T, N - 1 - r) of the kept patch tokens among
        the patch tokens, increasing.
    """
    B, T, N = x.shape[:3]
    P, r = N - 1, min(r, (N - 1) // 2)
    metric = F.normalize(metric[:, :, 1:], dim=-1)  # (B, T, P, D)
    semantics = x[:, :, 1:].abs().sum(-1)  # (B, T, P)
    low = semantics.amin(-1, keepdim=True)
    high = semantics.amax(-1, keepdim=True)
    semantics = (semantics - low) / (high - low).clamp(min=1e-6)
    frames = list(range(T))[::-1] if reverse else list(range(T))

    first = metric[:, frames[0]]
    best = (first[:, ::2] @ first[:, 1::2].transpose(1, 2)).amax(-1)
    kept_a = best.argsort(dim=-1)[:, :best.shape[1] - r] * 2
    odd = torch.arange(1, P, 2, device=x.device).expand(B, -1)
    kept = torch.cat([kept_a, odd], dim=1).sort(dim=1).values
    keep = {frames[0]: kept}
    weight = x.new_full(kept.shape, 1 / kept.shape[1])
    for t, prev in zip(frames[1:], frames):
        prev_metric = metric[:, prev].gather(
            1, keep[prev][..., None].expand(-1, -1, metric.shape[-1]))
        # (B, P, K): each kept previous token spread over this frame's
        sim = (metric[:, t] @ prev_metric.transpose(1, 2)).softmax(dim=1)
        redundancy = (sim @ weight[..., None])[..., 0]  # (B, P)
        score = redundancy * (1 - semantics[:, t])
        kept = score.topk(P - r, dim=1, largest=False).indices
        keep[t] = kept.sort(dim=1).values
        weight = redundancy.gather(1, keep[t])
        weight = weight / weight.sum(dim=1, keepdim=True)
    return torch.stack([keep[t] for t in range(T)], dim=1)


@MODELS.register_module()
class STALayer(TokenReducingLayer):
    """A ViT layer followed by STA pruning (Ding et al., ICCV 2023): after
    the block, every frame loses ``r`` patch tokens chosen by
    :func:`sta_keep` from the block's attention keys and output features;
    the [CLS] token is never pruned. STA prunes in three stages, after
    blocks 1, depth/3 + 1 and 2 depth/3 + 1, scoring the frames in reverse
    order at the second: ``layer_cfgs=[dict(type='STALayer', r=r,
    layers=[0, 8]), dict(type='STALayer', r=r, reverse=True, layers=[4])]``
    for ViT-B.

    Args:
        reverse (bool): Score the frames last to first. Defaults to False.
        **kwargs: Arguments of :class:`TokenReducingLayer`.
    """

    def __init__(self, reverse: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.reverse = reverse

    def forward(self, x: torch.Tensor,
                layout: TokenLayout) -> Tuple[torch.Tensor, TokenLayout]:
        """Apply the layer.

        Args:
            x (Tensor): Tokens (B, T, N, C).
            layout (TokenLayout): Their layout.

        Returns:
            tuple: Tokens (B, T, N - r, C) and their layout.
        """
        x = self.local(self.lmhra1, x, layout)
        out, keys = self.attend_with_keys(self.ln1(x))
        x = self.local(self.lmhra2, x + out, layout)
        x = self.ffn(self.ln2(x), identity=x)
        if self.r == 0:
            return x, layout
        # (B, T, N, C) -> (B, T, N - r, C), [CLS] kept first
        index = F.pad(sta_keep(x, keys, self.r, self.reverse) + 1, (1, 0))
        return x.gather(2, index[...,
                                 None].expand(-1, -1, -1,
                                              x.shape[-1])), layout.keep(index)
