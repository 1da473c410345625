# Copyright (c) mmvidlm authors. All rights reserved.
"""What the token reducers (ToMe, STA) share: the layout of the reduced
tokens, the base of the modules inserted between blocks and the base of the
layers that reduce inside a block."""
from typing import NamedTuple, Optional, Tuple

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule

from .transformer_layer import VideoTransformerLayer
from .uniformerv2_blocks import LocalMHRAMixin


def num_kept(num_patches: int, keep_ratio: float) -> int:
    """Patch tokens a frame keeps at ``keep_ratio`` (at least one)."""
    return max(1, round(num_patches * keep_ratio))


class TokenLayout(NamedTuple):
    """Where the tokens of reduced frames come from.

    Args:
        size (Tensor): (B, T, N, 1) input patches each token stands for
            (ToMe's token size; [CLS] is 1).
        source (Tensor): (B, T, P) long, for each of the P patch positions
            of the input grid the index (in 0..N-1) of the token that holds
            it now; -1 where the position was pruned (ToMe's "source", as an
            index instead of a dense matrix).
    """
    size: torch.Tensor
    source: torch.Tensor

    @classmethod
    def initial(cls, x: torch.Tensor) -> 'TokenLayout':
        """The layout of unreduced (B, T, N, C) tokens: every token its own
        patch."""
        B, T, N = x.shape[:3]
        source = torch.arange(1, N, device=x.device).expand(B, T, N - 1)
        return cls(x.new_ones(B, T, N, 1), source)

    def remap(self, mapping: torch.Tensor,
              size: torch.Tensor) -> 'TokenLayout':
        """The layout after a reduction that moved old token i to
        ``mapping[..., i]`` (B, T, N_old; -1: dropped), with new sizes
        (B, T, N_new, 1)."""
        source = mapping.gather(2, self.source.clamp(min=0))
        return TokenLayout(size, source.masked_fill(self.source < 0, -1))

    def keep(self, index: torch.Tensor) -> 'TokenLayout':
        """The layout after keeping the tokens ``index`` (B, T, N_new) of
        the old ones, in that order (pruning)."""
        mapping = torch.full_like(self.size[..., 0], -1, dtype=torch.long)
        new = torch.arange(index.shape[2], device=index.device)
        mapping = mapping.scatter(2, index, new.expand_as(index))
        return self.remap(mapping, self.size.gather(2, index[..., None]))

    def unmerge(self, x: torch.Tensor) -> torch.Tensor:
        """Tokens (B, T, N, C) -> their patch positions (B, T, P, C): every
        position takes its token's value, pruned ones zero."""
        index = self.source.clamp(min=0)[...,
                                         None].expand(-1, -1, -1, x.shape[-1])
        return x.gather(2, index) * (self.source >= 0)[..., None]

    def merge(self, update: torch.Tensor, num_tokens: int) -> torch.Tensor:
        """Per position values (B, T, P, C) -> per token (B, T, N, C), the
        average over the positions a token holds (its size-weighted
        average); pruned positions are dropped."""
        B, T, _, C = update.shape
        index = self.source.clamp(min=0)[..., None].expand(-1, -1, -1, C)
        update = update * (self.source >= 0)[..., None]
        total = update.new_zeros(B, T, num_tokens,
                                 C).scatter_add(2, index, update)
        return total / self.size


class TokenReduction(BaseModule):
    """Base of the modules inserted between blocks that reduce the tokens
    of every frame (the two-point ToMe / STA ablations) instead of the
    frames: ``(x, layout) -> (x', layout')``, ``(B, T, N, C) -> (B, T, N',
    C)``, with :class:`TokenLayout` ``layout``.
    :class:`~mmvidlm.models.backbones.VideoViT` calls every inserted module
    and layer with ``needs_size = True`` this way (the layout of the
    unreduced tokens at the first).

    Args:
        embed_dims (int): Token width (unused; the interface of every
            compressor).
        keep_ratio (float): Fraction of the patch tokens kept. Defaults to
            0.5.
        init_cfg (dict, optional): Initialisation config.
    """
    halves_frames = False
    needs_size = True

    def __init__(self,
                 embed_dims: int,
                 keep_ratio: float = 0.5,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        if not 0 < keep_ratio <= 1:
            raise ValueError(
                f'keep_ratio must be in (0, 1], got {keep_ratio}.')
        self.keep_ratio = keep_ratio


class TokenReducingLayer(LocalMHRAMixin, VideoTransformerLayer):
    """Base of the ViT layers that reduce the tokens of every frame inside
    the block (ToMe, STA: they need the block's attention keys), called as
    ``x, layout = layer(x, layout)`` (:class:`TokenLayout`). Optionally
    with UniFormerV2's local MHRA (its SSv2 model), run on the patch grid
    rebuilt from the layout (:meth:`TokenLayout.unmerge`) and brought back
    by the size-weighted average (:meth:`TokenLayout.merge`); it equals
    :class:`LocalMHRALayer`'s while nothing is reduced.

    Args:
        r (int): Patch tokens each frame loses in this layer.
        dw_reduction (float, optional): Channel reduction of a local MHRA
            as :class:`LocalMHRALayer`'s (1.5 in UniFormerV2); None: no
            local MHRA. So a ``layer_cfgs`` entry of ``LocalMHRALayer`` for
            every layer followed by one of this type for some keeps the
            local MHRA in all. Defaults to None.
        double_lmhra (bool): A second local MHRA after the attention (with
            ``dw_reduction``). Defaults to True.
        **kwargs: Arguments of :class:`VideoTransformerLayer`.
    """
    needs_size = True

    def __init__(self,
                 r: int,
                 dw_reduction: Optional[float] = None,
                 double_lmhra: bool = True,
                 **kwargs):
        super().__init__(**kwargs)
        if r < 0:
            raise ValueError(f'r (tokens reduced per frame) must be >= 0, '
                             f'got {r}.')
        self.r = r
        self.build_local_mhra(dw_reduction, double_lmhra,
                              kwargs.get('drop_path_rate', 0.))

    def attend_with_keys(self,
                         x: torch.Tensor,
                         size: Optional[torch.Tensor] = None
                         ) -> Tuple[torch.Tensor, torch.Tensor]:
        """The attention branch of the image layer on normalised tokens,
        returning its keys too.

        Args:
            x (Tensor): Normalised tokens (B, T, N, C).
            size (Tensor, optional): Token sizes (B, T, N, 1); given,
                ``log(size)`` is added to the logits of every key (ToMe's
                proportional attention). Defaults to None.

        Returns:
            tuple: The branch's output (B, T, N, C) and the keys averaged
            over heads (B, T, N, C/heads).
        """
        attn = self.attn
        B, T, N, C = x.shape
        # (B, T, N, C) -> 3 x (B*T, heads, N, C/heads)
        q, k, v = attn.qkv(x.flatten(0, 1)).unflatten(
            -1, (3, attn.num_heads, -1)).permute(2, 0, 3, 1, 4)
        bias = None
        if size is not None:  # (B, T, N, 1) -> (B*T, 1, 1, N)
            bias = size.flatten(0, 1).log().transpose(1, 2)[:, None]
            bias = bias.to(q.dtype)
        out = F.scaled_dot_product_attention(
            q,
            k,
            v,
            attn_mask=bias,
            dropout_p=attn.attn_drop if self.training else 0.)
        out = attn.proj(out.transpose(1, 2).flatten(2))
        out = attn.out_drop(attn.gamma1(attn.proj_drop(out)))
        return out.unflatten(0, (B, T)), k.mean(1).unflatten(0, (B, T))
