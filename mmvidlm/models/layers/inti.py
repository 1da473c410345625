# Copyright (c) mmvidlm authors. All rights reserved.
"""Inter-frame token interpolation (InTI, ECCV 2024, Sec. 3.2-3.3).

InTI fuses the frames (2i, 2i+1) of a clip token by token with predicted
weights that sum to one, halving T. The weight predictor reads context at
four scales, each a small module of its own: token (Eq. 9), cube (Eq. 10),
frame (Eq. 11) and global (Eq. 12, Appendix B).
"""
import math
from typing import Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule, ModuleDict
from mmengine.model.weight_init import trunc_normal_

from mmvidlm.registry import MODELS
from ..utils.tokens import frame_pairs, patch_grid

CONTEXT_LEVELS = ('token', 'cube', 'frame', 'global')
FUSIONS = ('add', 'cat', 'sep')
HEADS = ('softmax', 'sigmoid', 'attention')


class TemporalPositionEmbedding(BaseModule):
    """Learnable temporal position embedding with a zero-initialised scale
    (Eq. 8): ``x_t + alpha * e_t`` with ``alpha = 0`` at initialisation, so
    the pre-trained features are unchanged until the scale is learned.

    Args:
        num_frames (int): Frames of the input.
        embed_dims (int): Token width C.
    """

    def __init__(self, num_frames: int, embed_dims: int):
        super().__init__()
        self.embed = nn.Parameter(torch.zeros(1, num_frames, 1, embed_dims))
        # The scale only learns if the embedding it multiplies is not zero.
        trunc_normal_(self.embed, std=0.02)
        self.scale = nn.Parameter(torch.zeros(1))

    def init_weights(self):
        """Generic initialisation, then the scale back to zero."""
        super().init_weights()
        nn.init.zeros_(self.scale)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        T = x.shape[1]
        if T > self.embed.shape[1]:
            raise ValueError(f'Temporal embedding made for '
                             f'{self.embed.shape[1]} frames, got {T}.')
        return x + self.scale * self.embed[:, :T]  # (B, T, N, C)


class TokenContext(BaseModule):
    """Token level (Eq. 9): LayerNorm -> Linear(2C, C') -> GELU on the
    concatenated token pair, read in frame order."""

    def __init__(self, embed_dims: int, reduced_dims: int):
        super().__init__()
        self.norm = nn.LayerNorm(2 * embed_dims)
        self.proj = nn.Linear(2 * embed_dims, reduced_dims)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pairs = frame_pairs(x)  # (B, T/2, 2, N, C)
        pair = torch.cat([pairs[:, :, 0], pairs[:, :, 1]], dim=-1)
        return F.gelu(self.proj(self.norm(pair)))  # (B, T/2, N, C')


class CubeContext(BaseModule):
    """Cube level (Eq. 10): a depthwise 3D convolution (kernel 3) over the
    patch grid and time gives each token its spatiotemporal neighbourhood;
    the pair's two outputs are projected like the token level. The [CLS]
    token has no neighbourhood: its cube context is zero."""

    def __init__(self, embed_dims: int, reduced_dims: int):
        super().__init__()
        self.conv = nn.Conv3d(
            embed_dims, embed_dims, 3, padding=1, groups=embed_dims)
        self.norm = nn.LayerNorm(2 * embed_dims)
        self.proj = nn.Linear(2 * embed_dims, reduced_dims)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, T, N, C = x.shape
        side = patch_grid(N - 1)
        # (B, T, HW, C) -> (B, C, T, H, W) -> conv -> (B, T, HW, C)
        grid = x[:, :, 1:].permute(0, 3, 1, 2).unflatten(-1, (side, side))
        cube = self.conv(grid).flatten(3).permute(0, 2, 3, 1)
        pairs = frame_pairs(cube)
        pair = torch.cat([pairs[:, :, 0], pairs[:, :, 1]], dim=-1)
        cube = F.gelu(self.proj(self.norm(pair)))  # (B, T/2, HW, C')
        return F.pad(cube, (0, 0, 1, 0))  # zero for [CLS]: (B, T/2, N, C')


class FrameContext(BaseModule):
    """Frame level (Eq. 11): the two frames' [CLS] tokens, concatenated in
    order, LayerNorm -> Linear(2C, C') -> GELU, shared by every token."""

    def __init__(self, embed_dims: int, reduced_dims: int):
        super().__init__()
        self.norm = nn.LayerNorm(2 * embed_dims)
        self.proj = nn.Linear(2 * embed_dims, reduced_dims)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        cls = frame_pairs(x[:, :, 0])  # (B, T/2, 2, C)
        pair = torch.cat([cls[:, :, 0], cls[:, :, 1]], dim=-1)
        return F.gelu(self.proj(self.norm(pair))).unsqueeze(2)


class GlobalContext(BaseModule):
    """Global level (Eq. 12, Appendix B): all [CLS] tokens through
    [depthwise temporal conv k3 -> max-pool stride 2 -> GELU] twice, a third
    depthwise conv, a global average and GELU; a linear layer maps the
    result to C'. Computed once per clip and shared by every token."""

    def __init__(self, embed_dims: int, reduced_dims: int):
        super().__init__()
        self.convs = nn.ModuleList(
            nn.Conv1d(embed_dims, embed_dims, 3, padding=1, groups=embed_dims)
            for _ in range(3))
        # ceil_mode: a short clip (T < 4) still pools to one step.
        self.pool = nn.MaxPool1d(2, stride=2, ceil_mode=True)
        self.proj = nn.Linear(embed_dims, reduced_dims)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        cls = x[:, :, 0].transpose(1, 2)  # (B, C, T)
        for conv in self.convs[:2]:
            cls = F.gelu(self.pool(conv(cls)))
        cls = F.gelu(self.convs[2](cls).mean(dim=-1))  # (B, C)
        return self.proj(cls)[:, None, None]  # (B, 1, 1, C')


CONTEXT_MODULES = dict(
    token=TokenContext,
    cube=CubeContext,
    frame=FrameContext,
    **{'global': GlobalContext})


class InTIWeightPredictor(BaseModule):
    """The weight prediction network of InTI (Eq. 6 and 13).

    The enabled context levels are fused (``'sep'``: the token feature kept
    apart and concatenated with the sum of the others; ``'add'``: the sum of
    all; ``'cat'``: all concatenated), two linear layers with GELU map the
    fused feature to the head, which gives one weight per frame of the pair.

    Args:
        embed_dims (int): Token width C.
        reduced_dims (int): Width C' of every context feature.
        context_levels (Sequence[str]): Enabled levels out of ``'token'``,
            ``'cube'``, ``'frame'``, ``'global'``.
        fusion (str): ``'sep'``, ``'add'`` or ``'cat'``.
        head (str): ``'softmax'`` (two logits, softmax), ``'sigmoid'`` (two
            logits, independent sigmoids: the weights need not sum to one) or
            ``'attention'`` (a learnable query dotted with a feature for each
            frame of the pair, softmax over the pair).
    """

    def __init__(self,
                 embed_dims: int,
                 reduced_dims: int,
                 context_levels: Sequence[str] = CONTEXT_LEVELS,
                 fusion: str = 'sep',
                 head: str = 'softmax'):
        super().__init__()
        levels = tuple(context_levels)
        unknown = set(levels) - set(CONTEXT_LEVELS)
        if unknown or not levels:
            raise ValueError(f'context_levels must be a non-empty subset of '
                             f'{CONTEXT_LEVELS}, got {levels}.')
        if fusion not in FUSIONS:
            raise ValueError(f'fusion must be one of {FUSIONS}, got '
                             f'{fusion!r}.')
        if head not in HEADS:
            raise ValueError(f'head must be one of {HEADS}, got {head!r}.')
        if fusion == 'sep' and 'token' not in levels:
            raise ValueError("fusion='sep' keeps the token-level feature "
                             "apart: it needs the 'token' context level.")
        self.levels = tuple(lv for lv in CONTEXT_LEVELS if lv in levels)
        self.fusion = fusion
        self.head = head
        self.contexts = ModuleDict({
            level:
            CONTEXT_MODULES[level](embed_dims, reduced_dims)
            for level in self.levels
        })
        if fusion == 'cat':
            in_dims = reduced_dims * len(self.levels)
        elif fusion == 'sep' and len(self.levels) > 1:
            in_dims = 2 * reduced_dims
        else:
            in_dims = reduced_dims
        out_dims = 2 * reduced_dims if head == 'attention' else 2
        self.fc1 = nn.Linear(in_dims, reduced_dims)
        self.fc2 = nn.Linear(reduced_dims, out_dims)
        if head == 'attention':
            self.query = nn.Parameter(torch.zeros(reduced_dims))
            trunc_normal_(self.query, std=0.02)

    def fuse(self, x: torch.Tensor) -> torch.Tensor:
        """Fused multi-scale context of every token of every frame pair."""
        feats = {lv: self.contexts[lv](x) for lv in self.levels}
        num_pairs, num_tokens = x.shape[1] // 2, x.shape[2]
        shape = (x.shape[0], num_pairs, num_tokens, -1)
        if self.fusion == 'cat':
            return torch.cat([f.expand(shape) for f in feats.values()], -1)
        if self.fusion == 'add':
            return sum(feats.values()).expand(shape)
        token = feats.pop('token')
        if not feats:
            return token
        return torch.cat([token, sum(feats.values()).expand(shape)], dim=-1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Predict interpolation weights.

        Args:
            x (Tensor): Tokens of shape (B, T, N, C).

        Returns:
            Tensor: Weights of shape (B, T/2, N, 2) for frames (2i, 2i+1).
        """
        out = self.fc2(F.gelu(self.fc1(self.fuse(x))))
        if self.head == 'softmax':
            return out.softmax(dim=-1)
        if self.head == 'sigmoid':
            return out.sigmoid()
        # (B, T/2, N, 2, C') . (C',) -> (B, T/2, N, 2)
        keys = out.unflatten(-1, (2, -1))
        return (keys @ self.query / math.sqrt(keys.shape[-1])).softmax(-1)


@MODELS.register_module()
class InterFrameTokenInterpolation(BaseModule):
    """Inter-frame token interpolation (InTI), Eq. 6-8.

    Adds the scaled temporal position embedding, predicts a weight pair for
    every token position of every frame pair and fuses
    ``y = w0 * x_2i + w1 * x_2i+1`` point by point ([CLS] included):
    ``(B, T, N, C) -> (B, T/2, N, C)``.

    Args:
        embed_dims (int): Token width C.
        num_frames (int): Frames T of the input (size of the temporal
            embedding).
        reduced_dims (int, optional): Width C' of the predictor. Defaults to
            ``embed_dims // 8``, which keeps the predictor under 1 % of the
            backbone's multiply-adds (see model_zoo.md).
        context_levels (Sequence[str]): Enabled context levels. Defaults to
            all four.
        fusion (str): ``'sep'``, ``'add'`` or ``'cat'``. Defaults to
            ``'sep'``.
        head (str): ``'softmax'``, ``'sigmoid'`` or ``'attention'``.
            Defaults to ``'softmax'``.
        temporal_embedding (bool): Add the temporal position embedding
            (Eq. 8). Defaults to True.
        init_cfg (dict, optional): Initialisation config.
    """
    halves_frames = True

    def __init__(self,
                 embed_dims: int,
                 num_frames: int,
                 reduced_dims: Optional[int] = None,
                 context_levels: Sequence[str] = CONTEXT_LEVELS,
                 fusion: str = 'sep',
                 head: str = 'softmax',
                 temporal_embedding: bool = True,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        reduced_dims = reduced_dims or max(embed_dims // 8, 1)
        self.temporal_embed = TemporalPositionEmbedding(
            num_frames, embed_dims) if temporal_embedding else nn.Identity()
        self.predictor = InTIWeightPredictor(embed_dims, reduced_dims,
                                             context_levels, fusion, head)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.temporal_embed(x)
        weights = self.predictor(x)  # (B, T/2, N, 2)
        pairs = frame_pairs(x)  # (B, T/2, 2, N, C)
        # (B, T, N, C) -> (B, T/2, N, C)
        return torch.einsum('bpnk,bpknc->bpnc', weights, pairs)
