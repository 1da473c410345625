# Copyright (c) mmvidlm authors. All rights reserved.
"""UniFormerV2's temporal modules (Li et al., ICCV 2023) for mmvidlm's
``(B, T, N, C)`` backbones, built from MMAction2's own blocks (local MHRA,
global UniBlock) so that their code and parameter names are MMAction2's.

Both accept any number of frames, so they can follow InTI, which halves T.
"""
from typing import List, Optional, Sequence, Union

import torch
import torch.nn as nn
from mmaction.models.backbones.uniformerv2 import Extractor, Local_MHRA
from mmcv.cnn.bricks import DropPath
from mmengine.model import BaseModule, ModuleList

from mmvidlm.registry import MODELS
from ..utils.tokens import from_grid, to_grid
from .transformer_layer import VideoTransformerLayer


class LocalMHRAMixin:
    """UniFormerV2's local MHRA for a :class:`VideoTransformerLayer`: the
    modules (``lmhra1``, ``lmhra2``), their initialisation and their
    residual update of the patch tokens, on the patch grid or, for reduced
    tokens, on the grid their ``layout`` rebuilds
    (:class:`~mmvidlm.models.layers.token_reduction.TokenLayout`)."""
    adapters = ('lmhra1', 'lmhra2')

    def build_local_mhra(self,
                         dw_reduction: Optional[float] = 1.5,
                         double_lmhra: bool = True,
                         drop_path_rate: float = 0.) -> None:
        """Build the local MHRAs (none for ``dw_reduction=None``)."""
        self.drop_path = DropPath(
            drop_path_rate) if drop_path_rate > 0 else nn.Identity()
        with_lmhra = dw_reduction is not None
        self.lmhra1 = Local_MHRA(
            self.embed_dims, dw_reduction=dw_reduction) if with_lmhra else None
        self.lmhra2 = Local_MHRA(
            self.embed_dims,
            dw_reduction=dw_reduction) if with_lmhra and double_lmhra else None

    def init_weights(self):
        """Generic initialisation, then the local MHRAs' expansions back
        to zero (MMAction2's initialisation: the layer starts as the image
        layer)."""
        super().init_weights()
        for lmhra in (self.lmhra1, self.lmhra2):
            if lmhra is not None:
                nn.init.zeros_(lmhra.pos_embed[3].weight)
                nn.init.zeros_(lmhra.pos_embed[3].bias)

    def local(self,
              lmhra: Optional[nn.Module],
              x: torch.Tensor,
              layout=None) -> torch.Tensor:
        """``x`` (B, T, N, C) plus the local MHRA's update of its patch
        tokens (``x`` itself for ``lmhra=None``).

        With a ``layout``, every patch position of the grid takes the value
        of the token that holds it (pruned ones zero), and each token
        receives the average update of its positions.
        """
        if lmhra is None:
            return x
        if layout is None:
            grid = to_grid(x[:, :, 1:])
            patches = from_grid(grid + self.drop_path(lmhra(grid)))
            return torch.cat([x[:, :, :1], patches], dim=2)
        # (B, T, N, C) -> (B, T, P, C) -> (B, C, T, H, W)
        update = self.drop_path(lmhra(to_grid(layout.unmerge(x))))
        return x + layout.merge(from_grid(update), x.shape[2])


@MODELS.register_module()
class LocalMHRALayer(LocalMHRAMixin, VideoTransformerLayer):
    """A ViT layer with UniFormerV2's local MHRA (local UniBlock).

    A residual local temporal relation aggregator (MMAction2's
    ``Local_MHRA``: BN, 1x1x1 reduction, depthwise temporal conv k3, 1x1x1
    expansion initialised to zero) on the patch tokens before the attention
    and, with ``double_lmhra``, another one before the FFN. At
    initialisation the layer equals the image layer.

    Args:
        dw_reduction (float): Channel reduction in the local MHRA.
            Defaults to 1.5.
        double_lmhra (bool): A second local MHRA after the attention.
            Defaults to True.
        drop_path_rate (float): Stochastic depth of the layer and of its
            local MHRAs. Defaults to 0.
        **kwargs: Arguments of :class:`VideoTransformerLayer`.
    """

    def __init__(self,
                 dw_reduction: float = 1.5,
                 double_lmhra: bool = True,
                 drop_path_rate: float = 0.,
                 **kwargs):
        super().__init__(drop_path_rate=drop_path_rate, **kwargs)
        self.build_local_mhra(dw_reduction, double_lmhra, drop_path_rate)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, T = x.shape[:2]
        x = self.local(self.lmhra1, x)
        # (B, T, N, C) -> (B*T, N, C) for the spatial attention
        x = x.flatten(0, 1)
        x = (x + self.attn(self.ln1(x))).unflatten(0, (B, T))
        x = self.local(self.lmhra2, x)
        x = x.flatten(0, 1)
        return self.ffn(self.ln2(x), identity=x).unflatten(0, (B, T))


@MODELS.register_module()
class GlobalUniBlocks(BaseModule):
    """UniFormerV2's global UniBlocks: a video [CLS] token that
    cross-attends, through MMAction2's ``Extractor`` blocks, to the tokens of
    the last ``num_layers`` blocks (each with a depthwise 3D conv position
    encoding, DPE), fused with the mean of the frames' [CLS] by a learned
    sigmoid balance.

    Args:
        embed_dims (int): Token width C.
        num_heads (int): Attention heads of the global blocks.
        num_layers (int): Global blocks; they read the outputs of the last
            ``num_layers`` blocks of the backbone. Defaults to 4.
        mlp_factor (float): FFN width ratio. Defaults to 4.
        mlp_dropout (float | Sequence[float]): FFN dropout of each block.
            Defaults to 0.5.
        drop_path_rate (float): Stochastic depth, increasing over the
            blocks. Defaults to 0.
    """

    def __init__(self,
                 embed_dims: int,
                 num_heads: int,
                 num_layers: int = 4,
                 mlp_factor: float = 4.,
                 mlp_dropout: Union[float, Sequence[float]] = 0.5,
                 drop_path_rate: float = 0.):
        super().__init__()
        if isinstance(mlp_dropout, (int, float)):
            mlp_dropout = [mlp_dropout] * num_layers
        if len(mlp_dropout) != num_layers:
            raise ValueError(f'mlp_dropout has {len(mlp_dropout)} entries '
                             f'for {num_layers} global blocks.')
        self.num_layers = num_layers
        self.temporal_cls_token = nn.Parameter(torch.zeros(1, 1, embed_dims))
        self.dpe = ModuleList(
            nn.Conv3d(embed_dims, embed_dims, 3, padding=1, groups=embed_dims)
            for _ in range(num_layers))
        for conv in self.dpe:
            nn.init.constant_(conv.bias, 0.)
        dpr = torch.linspace(0, drop_path_rate, num_layers).tolist()
        self.dec = ModuleList(
            Extractor(
                embed_dims,
                num_heads,
                mlp_factor=mlp_factor,
                dropout=mlp_dropout[i],
                drop_path=dpr[i]) for i in range(num_layers))
        self.norm = nn.LayerNorm(embed_dims)
        self.balance = nn.Parameter(torch.zeros(embed_dims))

    def init_weights(self):
        """Generic initialisation, then UniFormerV2's zero initialisation
        of the blocks' outputs, the DPE biases, the video [CLS] token and
        the balance (MMAction2's ``Extractor`` and ``UniFormerV2``)."""
        super().init_weights()
        for dec in self.dec:
            for layer in (dec.attn.out_proj, dec.mlp[-1]):
                nn.init.zeros_(layer.weight)
                nn.init.zeros_(layer.bias)
        for conv in self.dpe:
            nn.init.zeros_(conv.bias)
        nn.init.zeros_(self.temporal_cls_token)
        nn.init.zeros_(self.balance)

    def forward(self,
                feats: List[torch.Tensor],
                frame_cls: torch.Tensor,
                is_grid: Optional[List[bool]] = None) -> torch.Tensor:
        """Aggregate the video.

        Args:
            feats (list[Tensor]): Outputs (B, T_j, N, C) of the last
                ``num_layers`` blocks (T_j may differ between blocks).
            frame_cls (Tensor): The frames' mean [CLS] token (B, C).
            is_grid (list[bool], optional): Whether the patch tokens of each
                feature map still form the patch grid; the DPE is skipped
                where a token reducer (ToMe, STA) has broken it. Defaults to
                all True.

        Returns:
            Tensor: The video feature (B, C).
        """
        if len(feats) != self.num_layers:
            raise ValueError(f'{self.num_layers} global blocks got '
                             f'{len(feats)} feature maps.')
        B = frame_cls.shape[0]
        cls_token = self.temporal_cls_token.repeat(1, B, 1)
        is_grid = is_grid or [True] * len(feats)
        for dpe, dec, x, grid in zip(self.dpe, self.dec, feats, is_grid):
            if grid:
                patches = x[:, :, 1:]
                patches = patches + from_grid(dpe(to_grid(patches)))
                x = torch.cat([x[:, :, :1], patches], dim=2)
            # (B, T, N, C) -> (T*N, B, C): the Extractor's layout
            cls_token = dec(cls_token, x.flatten(1, 2).transpose(0, 1))
        weight = self.balance.sigmoid()
        return self.norm((1 - weight) * cls_token[0] + weight * frame_cls)
