# Copyright (c) mmvidlm authors. All rights reserved.
from typing import Sequence

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmvidlm.registry import MODELS
from ..utils.tokens import from_grid, to_grid
from .transformer_layer import VideoTransformerLayer


class STAdapter(BaseModule):
    """The spatio-temporal adapter of ST-Adapter (Pan et al., NeurIPS 2022).

    ``X + up(conv3d(down(X)))`` on the patch tokens of a clip (Token Mixing,
    Eq. 6). The defaults are those of ST-Adapter's implementation: a
    depthwise convolution with kernel (3, 1, 1), the [CLS] tokens passing
    unchanged. The Token Mixing reference code (``STAdapter`` of its
    models/vit.py) uses a dense (3, 3, 3) convolution and sends the [CLS]
    tokens through the two projections (not the convolution). The
    convolution (the up-projection with ``project_cls``) starts at zero, so
    the adapter starts as the identity.

    Args:
        embed_dims (int): Token width.
        adapter_channels (int): Bottleneck width. Defaults to 384.
        kernel_size (Sequence[int]): (t, h, w) kernel of the convolution.
            Defaults to (3, 1, 1).
        depthwise (bool): Depthwise convolution (one filter per channel);
            False: dense. Defaults to True.
        project_cls (bool): The [CLS] tokens also go through the down- and
            up-projections (without the convolution), as in the Token
            Mixing reference. Defaults to False.
    """

    def __init__(self,
                 embed_dims: int,
                 adapter_channels: int = 384,
                 kernel_size: Sequence[int] = (3, 1, 1),
                 depthwise: bool = True,
                 project_cls: bool = False):
        super().__init__()
        self.project_cls = project_cls
        self.down = nn.Linear(embed_dims, adapter_channels)
        self.conv = nn.Conv3d(
            adapter_channels,
            adapter_channels,
            kernel_size=tuple(kernel_size),
            padding=tuple(k // 2 for k in kernel_size),
            groups=adapter_channels if depthwise else 1)
        self.up = nn.Linear(adapter_channels, embed_dims)
        self._init_identity()

    def _init_identity(self) -> None:
        for bias in (self.down.bias, self.conv.bias, self.up.bias):
            nn.init.zeros_(bias)
        # the [CLS] tokens bypass the convolution: the up-projection starts
        # at zero then
        nn.init.zeros_(
            self.up.weight if self.project_cls else self.conv.weight)

    def init_weights(self):
        """Generic initialisation, then the convolution back to zero."""
        super().init_weights()
        self._init_identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Args: x (Tensor): (B, T, 1 + H*W, C) tokens, [CLS] first."""
        if self.project_cls:
            y = self.down(x)  # (B, T, 1 + H*W, Ca)
            # patches: (B, T, H*W, Ca) -> (B, Ca, T, H, W) -> (B, T, H*W, Ca)
            y = torch.cat(
                [y[:, :, :1],
                 from_grid(self.conv(to_grid(y[:, :, 1:])))],
                dim=2)
            return x + self.up(y)
        # (B, T, H*W, Ca) -> (B, Ca, T, H, W) -> (B, T, H*W, Ca)
        y = from_grid(self.conv(to_grid(self.down(x[:, :, 1:]))))
        return torch.cat([x[:, :, :1], x[:, :, 1:] + self.up(y)], dim=2)


@MODELS.register_module()
class STAdapterLayer(VideoTransformerLayer):
    """A ViT layer with an ST-Adapter before its attention (Eq. 6-7).

    Args:
        adapter_channels (int): Bottleneck width. Defaults to 384.
        kernel_size (Sequence[int]): Convolution kernel. Defaults to
            (3, 1, 1).
        depthwise (bool): Depthwise convolution. Defaults to True.
        project_cls (bool): [CLS] through the projections
            (:class:`STAdapter`). Defaults to False.
        **kwargs: The other arguments of :class:`VideoTransformerLayer`.
    """
    adapters = ('st_adapter', )

    def __init__(self,
                 adapter_channels: int = 384,
                 kernel_size: Sequence[int] = (3, 1, 1),
                 depthwise: bool = True,
                 project_cls: bool = False,
                 **kwargs):
        super().__init__(**kwargs)
        self.st_adapter = STAdapter(self.embed_dims, adapter_channels,
                                    kernel_size, depthwise, project_cls)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(self.st_adapter(x))
