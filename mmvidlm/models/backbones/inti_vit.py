# Copyright (c) mmvidlm authors. All rights reserved.
import copy
from typing import Optional, Sequence, Tuple, Union

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
    * token reducers between blocks: ``TokenMerging``,
      ``TemporalAccumulationPruning`` (the two-point ToMe / STA ablations),
      built with ``embed_dims`` and called with the tokens and their
      :class:`TokenLayout`.

    ToMe and STA as their papers set them up reduce tokens inside blocks:
    they are layer types (``ToMeLayer``, ``STALayer``) with
    ``compressor=None`` (``configs/compressive/``).

    This class only configures :class:`VideoViT`, whose block loop runs
    them. ``inti_layers=()`` (or ``compressor=None``) gives the naive
    per-frame ViT. UniFormerV2's local temporal modules are a ``layer_cfgs``
    choice (``dict(type='LocalMHRALayer')``); its global UniBlocks are
    VideoViT's ``global_uniblocks`` (they read the outputs of the last
    blocks, taken after any compressor that follows the block).

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

    @staticmethod
    def _check_inti_layers(inti_layers: Tuple[int,
                                              ...], compressor: Optional[dict],
                           num_layers: int, num_frames: int):
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
