# Copyright (c) mmvidlm authors. All rights reserved.
import torch
from mmpretrain.models.backbones.vision_transformer import \
    TransformerEncoderLayer

from mmvidlm.registry import MODELS


@MODELS.register_module()
class VideoTransformerLayer(TransformerEncoderLayer):
    """MMPretrain's ViT encoder layer applied to every frame of a clip.

    The layer of every video backbone in mmvidlm takes and returns
    ``(B, T, N, C)`` tensors, so that layers which model time (token mixing,
    ST-Adapter, ...) and layers which do not share one interface. This one
    treats frames independently, with the parameter names of the image layer
    (``ln1``, ``attn.qkv``, ``attn.proj``, ``ln2``, ``ffn.layers``).

    Args:
        **kwargs: The arguments of MMPretrain's ``TransformerEncoderLayer``.
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the image layer to every frame.

        Args:
            x (Tensor): Tokens of shape (B, T, N, C).

        Returns:
            Tensor: Tokens of shape (B, T, N, C).
        """
        B, T = x.shape[:2]
        # (B, T, N, C) -> (B*T, N, C) -> (B, T, N, C)
        return super().forward(x.flatten(0, 1)).unflatten(0, (B, T))
