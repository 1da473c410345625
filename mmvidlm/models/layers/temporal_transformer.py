# Copyright (c) mmvidlm authors. All rights reserved.
import torch

from mmvidlm.registry import MODELS
from .transformer_layer import VideoTransformerLayer


@MODELS.register_module()
class TemporalTransformerLayer(VideoTransformerLayer):
    """A ViT encoder layer that attends over time (Token Mixing, Eq. 4).

    Each spatial position attends to the same position in every frame. The
    parameter names are the spatial layer's, so it can be initialised from a
    spatial layer of an image checkpoint (ViViT's factorised encoder, the
    "ViViT" and "Temporal fine-tuning" baselines).

    Args:
        **kwargs: The arguments of MMPretrain's ``TransformerEncoderLayer``.
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # (B, T, N, C) -> (B, N, T, C): the parent attends within dim 2
        return super().forward(x.transpose(1, 2)).transpose(1, 2)
