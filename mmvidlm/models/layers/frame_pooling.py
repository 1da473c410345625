# Copyright (c) mmvidlm authors. All rights reserved.
"""Temporal-downsampling baselines of InTI (ECCV 2024, Table 2): modules
that, like InTI, halve the frames of a clip between two ViT blocks."""
from typing import Optional

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmvidlm.registry import MODELS
from ..utils.tokens import frame_pairs


@MODELS.register_module()
class LinearPooling(BaseModule):
    """Fuse frames (2i, 2i+1) with one learned weight pair shared by every
    token and every pair: ``y = w0 * x_2i + w1 * x_2i+1``, ``(w0, w1)`` a
    softmax of two learned logits (an average at initialisation).
    ``(B, T, N, C) -> (B, T/2, N, C)``.

    Args:
        embed_dims (int): Token width (unused; the interface of every
            frame compressor).
        num_frames (int): Input frames (unused, as above).
        init_cfg (dict, optional): Initialisation config.
    """
    halves_frames = True

    def __init__(self,
                 embed_dims: int,
                 num_frames: int,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        self.logits = nn.Parameter(torch.zeros(2))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        weights = self.logits.softmax(dim=0)
        pairs = frame_pairs(x)  # (B, T/2, 2, N, C)
        return weights[0] * pairs[:, :, 0] + weights[1] * pairs[:, :, 1]


@MODELS.register_module()
class ConvPooling(BaseModule):
    """Temporal downsampling by a strided convolution in place of InTI.

    A temporal convolution (kernel 3, stride 2, padding 1) over the frames of
    every token position ([CLS] included), i.e. a ``(3, 1, 1)`` 3D
    convolution with temporal stride 2: ``(B, T, N, C) -> (B, T/2, N, C)``.
    It is inflated so that it starts as the average of frames (2i, 2i+1) and
    is then trained without constraint (the point of the comparison).

    Args:
        embed_dims (int): Token width C.
        num_frames (int): Input frames (unused; the interface of every frame
            compressor).
        init_cfg (dict, optional): Initialisation config.
    """
    halves_frames = True

    def __init__(self,
                 embed_dims: int,
                 num_frames: int,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        self.conv = nn.Conv1d(embed_dims, embed_dims, 3, stride=2, padding=1)
        self._init_average()

    @torch.no_grad()
    def _init_average(self) -> None:
        # Output i sees frames (2i-1, 2i, 2i+1): average the last two.
        self.conv.weight.zero_()
        eye = torch.eye(self.conv.in_channels) / 2
        self.conv.weight[:, :, 1] = eye
        self.conv.weight[:, :, 2] = eye
        self.conv.bias.zero_()

    def init_weights(self):
        """Generic initialisation, then the average-of-pairs inflation."""
        super().init_weights()
        self._init_average()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, T, N, C = x.shape
        if T % 2:
            raise ValueError(f'Frames are fused in pairs: T must be even, '
                             f'got {T}.')
        # (B, T, N, C) -> (B*N, C, T) -> conv -> (B, T/2, N, C)
        y = self.conv(x.permute(0, 2, 3, 1).flatten(0, 1))
        return y.unflatten(0, (B, N)).permute(0, 3, 1, 2)
