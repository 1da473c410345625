# Copyright (c) mmvidlm authors. All rights reserved.
import copy
from typing import List, Optional, Sequence, Tuple, Union

import torch
from torch.utils.checkpoint import checkpoint

from mmvidlm.registry import MODELS
from .video_vit import VideoViT

_TIMES = {1: 'once', 2: 'twice'}


@MODELS.register_module()
class InTIViT(VideoViT):
    """A CLIP ViT compressed by inter-frame token interpolation (InTI).

    `Dynamic and Compressive Adaptation of Transformers From Images to
    Videos <https://arxiv.org/abs/2408.06840>`_ (ECCV 2024), Eq. 4-5: a
    compressor is inserted after each block of ``inti_layers``. The default,
    :class:`InterFrameTokenInterpolation`, fuses frame pairs and halves T at
    every insertion; any registered compressor can take its place, so the
    paper's baselines are configs of this backbone:

    * frame compressors (``halves_frames = True``): ``InterFrameToken
      Interpolation``, ``LinearPooling``, ``ConvPooling``, built with
      ``embed_dims`` and the ``num_frames`` they receive;
    * token reducers: ``TokenMerging`` (ToMe), ``TemporalAccumulationPruning``
      (STA), built with ``embed_dims`` and called with the tokens and the
      number of patches each token stands for.

    ``inti_layers=()`` (or ``compressor=None``) gives the naive per-frame
    ViT. UniFormerV2's local temporal modules are a ``layer_cfgs`` choice
    (``dict(type='LocalMHRALayer')``); its global UniBlocks are
    ``global_uniblocks``.

    Args:
        arch (str | dict): ViT size, see :class:`VideoViT`. Defaults to
            ``'b'``.
        num_frames (int): Input frames; must be divisible by
            ``2 ** len(inti_layers)`` for a frame compressor. Defaults to 16.
        inti_layers (Sequence[int], optional): Blocks (1-based, strictly
            increasing) after which a compressor is inserted. Defaults to
            the paper's: (5, 9) for ViT-B, (10, 16) for ViT-L, (2, 3) for
            the tiny test ViT.
        compressor (dict, optional): Config of the compressor inserted at
            every point (``embed_dims`` and ``num_frames`` are filled in).
            Defaults to ``dict(type='InterFrameTokenInterpolation')``.
        global_uniblocks (dict, optional): Config of UniFormerV2's global
            UniBlocks (``GlobalUniBlocks``, with ``embed_dims`` and
            ``num_heads`` filled in); they read the outputs of the last
            ``num_layers`` blocks, taken after any compressor that follows
            the block, and need ``out_type='cls_mean'``. Defaults to None.
        **kwargs: Other arguments of :class:`VideoViT` (not
            ``between_block_cfgs``, which this class sets).
    """
    default_inti_layers = {
        **dict.fromkeys(['tiny', 't'], (2, 3)),
        **dict.fromkeys(['b', 'base'], (5, 9)),
        **dict.fromkeys(['l', 'large'], (10, 16)),
    }

    def __init__(self,
                 arch: Union[str, dict] = 'b',
                 num_frames: int = 16,
                 inti_layers: Optional[Sequence[int]] = None,
                 compressor: Optional[dict] = dict(
                     type='InterFrameTokenInterpolation'),
                 global_uniblocks: Optional[dict] = None,
                 **kwargs):
        if 'between_block_cfgs' in kwargs:
            raise ValueError('InTIViT builds between_block_cfgs from '
                             'inti_layers and compressor; do not pass it.')
        arch_settings = self._parse_arch(arch)
        num_layers = arch_settings['num_layers']
        if not compressor:
            inti_layers = ()
        elif inti_layers is None:
            if not isinstance(arch, str):
                raise ValueError('A custom arch needs explicit inti_layers.')
            inti_layers = self.default_inti_layers[arch.lower()]
        inti_layers = tuple(inti_layers)
        compressor_cls = self._check_inti_layers(inti_layers, compressor,
                                                 num_layers, num_frames)
        between_block_cfgs = {}
        for j, block in enumerate(inti_layers):
            cfg = copy.deepcopy(compressor)
            cfg.setdefault('embed_dims', arch_settings['embed_dims'])
            if compressor_cls.halves_frames:
                cfg.setdefault('num_frames', num_frames // 2**j)
            between_block_cfgs[block] = cfg
        super().__init__(
            arch=arch,
            num_frames=num_frames,
            between_block_cfgs=between_block_cfgs,
            **kwargs)
        self.inti_layers = inti_layers
        self.global_uniblocks = None
        if global_uniblocks is not None:
            if self.out_type != 'cls_mean':
                raise ValueError("global_uniblocks output a video feature: "
                                 "they need out_type='cls_mean'.")
            cfg = dict(
                type='GlobalUniBlocks',
                embed_dims=self.embed_dims,
                num_heads=self.num_heads)
            cfg.update(global_uniblocks)
            self.global_uniblocks = MODELS.build(cfg)
            if self.global_uniblocks.num_layers > self.num_layers:
                raise ValueError(
                    f'{self.global_uniblocks.num_layers} global UniBlocks '
                    f'read more blocks than this {self.num_layers}-layer '
                    f'ViT has.')

    @staticmethod
    def _check_inti_layers(inti_layers: Tuple[int, ...],
                           compressor: Optional[dict], num_layers: int,
                           num_frames: int):
        """Validate the insertion points; return the compressor class."""
        if not inti_layers:
            return None
        if 'type' not in compressor:
            raise ValueError(f'compressor needs a type, got {compressor}.')
        compressor_cls = MODELS.get(compressor['type'])
        if compressor_cls is None:
            raise KeyError(f'Unknown compressor type {compressor["type"]!r}.')
        if any(b >= a for a, b in zip(inti_layers[1:], inti_layers)):
            raise ValueError(f'inti_layers must be strictly increasing block '
                             f'indices (each once), got {inti_layers}.')
        for block in inti_layers:
            if not 1 <= block < num_layers:
                raise ValueError(
                    f'InTI is inserted after a block: inti_layers must be in '
                    f'1..{num_layers - 1} for this {num_layers}-layer ViT, '
                    f'got {block}.')
        factor = 2**len(inti_layers)
        if compressor_cls.halves_frames and num_frames % factor:
            name = 'InTI' if compressor_cls.__name__ == \
                'InterFrameTokenInterpolation' else compressor_cls.__name__
            k = len(inti_layers)
            times = _TIMES.get(k, f'{k} times')
            raise ValueError(
                f'{name} at {k} layers halves T {times}: num_frames must be '
                f'divisible by {factor}, got {num_frames}')
        return compressor_cls

    def forward_blocks(
        self, x: torch.Tensor
    ) -> Tuple[torch.Tensor, List[torch.Tensor], List[bool]]:
        """All blocks with their compressors.

        Args:
            x (Tensor): Tokens (B, T, N, C).

        Returns:
            tuple: Tokens (B, T', N', C) after the final norm; the outputs
            of the blocks the global UniBlocks read (empty without them);
            for each of those, whether its patch tokens are still the patch
            grid (not after a token reducer).
        """
        size = None  # patches per token, for the token reducers
        num_global = (self.global_uniblocks.num_layers
                      if self.global_uniblocks is not None else 0)
        feats, is_grid = [], []
        for i, layer in enumerate(self.layers):
            if self.with_cp and self.training and x.requires_grad:
                x = checkpoint(layer, x, use_reentrant=False)
            else:
                x = layer(x)
            compressor = self.between_blocks[str(i + 1)] \
                if str(i + 1) in self.between_blocks else None
            if compressor is not None and compressor.halves_frames:
                x = compressor(x)  # (B, T, N, C) -> (B, T/2, N, C)
            elif compressor is not None:
                if size is None:
                    size = x.new_ones(*x.shape[:3], 1)
                x, size = compressor(x, size)  # (B, T, N, C) -> (B, T, N', C)
            if i >= self.num_layers - num_global:
                feats.append(x)
                is_grid.append(size is None)
        return (self.ln1(x) if self.final_norm else x), feats, is_grid

    def forward_layers(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_blocks(x)[0]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Encode clips (B, C, T, H, W); see ``out_type``."""
        x, feats, is_grid = self.forward_blocks(self.embed(x))
        out = self.format_output(x)
        if self.global_uniblocks is not None:
            out = self.global_uniblocks(feats, out, is_grid)
        return out
