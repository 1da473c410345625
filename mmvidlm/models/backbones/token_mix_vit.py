# Copyright (c) mmvidlm authors. All rights reserved.
import copy
from typing import Optional, Sequence, Union

import torch
import torch.nn as nn
from mmengine.model import ModuleList
from mmpretrain.models.utils import build_norm_layer

from mmvidlm.registry import MODELS
from ..layers.token_mix import TokenMixLayer
from .video_vit import VideoViT


@MODELS.register_module()
class TokenMixViT(VideoViT):
    """The video encoder of Token Mixing and of its benchmark's baselines.

    An image ViT (BLIP, CLIP) applied to video, with

    * token-mixing attention (:class:`TokenMixAttention`) in the layers of
      ``token_mix_layers`` (Token Mixing, AAAI 2023, Eq. 8) - no parameter
      is added, so image checkpoints load unchanged;
    * optionally ``temporal_layers`` temporal transformer blocks after the
      spatial encoder and its final norm, as in ViViT's factorised encoder
      (Eq. 4), with a zero-initialised temporal position embedding and
      their own final norm. When an image checkpoint is loaded, temporal
      block i is initialised from spatial layer ``L - temporal_layers + i``
      and the norm from ``ln1`` (the "ViViT" and "Temporal fine-tuning"
      baselines).

    The parameter-efficient layers (``AdapterLayer``, ``STAdapterLayer``,
    ``DualAttentionLayer``) are chosen with ``layer_cfgs`` and compose with
    both. Which parameters are trained is set by the optimizer constructor
    (:class:`TrainableParamsOptimWrapperConstructor`), not here.

    Args:
        token_mix_layers (Sequence[int]): Indices of the layers with token
            mixing, 0-based as in the parameter names ``layers.{i}``;
            negative indices count from the end. Defaults to ``(-1,)``, the
            last layer (the paper's default).
        other_frame_scale (float, optional): Logit factor for keys of other
            frames in the token-mixing layers (0.8 in the public reference
            implementation). Defaults to None (Eq. 8 as written).
        temporal_layers (int): Number of temporal transformer blocks.
            Defaults to 0.
        layer_cfgs (dict | Sequence[dict]): Per-layer overrides as in
            :class:`VideoViT`; the layer type must derive from
            :class:`TokenMixLayer` (the default). Defaults to ``dict()``.
        drop_rate (float): See :class:`VideoViT`. Defaults to 0.
        drop_path_rate (float): See :class:`VideoViT`; the temporal blocks
            use the rate of the last layer. Defaults to 0.
        qkv_bias (bool): See :class:`VideoViT`. Defaults to True.
        norm_cfg (dict): See :class:`VideoViT`. Defaults to LN, eps 1e-5.
        act_cfg (dict): See :class:`VideoViT`. Defaults to QuickGELU.
        **kwargs: The other arguments of :class:`VideoViT`.
    """

    def __init__(self,
                 token_mix_layers: Sequence[int] = (-1, ),
                 other_frame_scale: Optional[float] = None,
                 temporal_layers: int = 0,
                 layer_cfgs: Union[dict, Sequence[dict]] = dict(),
                 drop_rate: float = 0.,
                 drop_path_rate: float = 0.,
                 qkv_bias: bool = True,
                 norm_cfg: dict = dict(type='LN', eps=1e-5),
                 act_cfg: dict = dict(type='mmpretrain.QuickGELU'),
                 **kwargs):
        num_layers = self._parse_arch(kwargs.get('arch', 'b'))['num_layers']
        token_mix_layers = self._check_layer_indices(token_mix_layers,
                                                     num_layers)
        layer_cfgs = self._token_mix_cfgs(layer_cfgs, num_layers,
                                          token_mix_layers, other_frame_scale)
        super().__init__(
            layer_cfgs=layer_cfgs,
            drop_rate=drop_rate,
            drop_path_rate=drop_path_rate,
            qkv_bias=qkv_bias,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg,
            **kwargs)
        self.token_mix_layers = token_mix_layers

        if not 0 <= temporal_layers <= self.num_layers:
            raise ValueError(
                f'temporal_layers are initialised from the last spatial '
                f'layers: 0..{self.num_layers} for this {self.num_layers}-'
                f'layer ViT, got {temporal_layers}.')
        self.temporal_layers = ModuleList()
        if temporal_layers:
            cfg = self._layer_cfgs(
                dict(type='TemporalTransformerLayer'), drop_rate,
                drop_path_rate, qkv_bias, norm_cfg, act_cfg)[-1]
            self.temporal_layers.extend(
                MODELS.build(cfg) for _ in range(temporal_layers))
            self.temporal_pos_embed = nn.Parameter(
                torch.zeros(1, self.num_frames, 1, self.embed_dims))
            self.temporal_ln = build_norm_layer(norm_cfg, self.embed_dims)
            self._register_load_state_dict_pre_hook(
                self._init_temporal_from_spatial)

    @staticmethod
    def _check_layer_indices(indices: Sequence[int],
                             num_layers: int) -> list:
        if isinstance(indices, int):
            indices = [indices]
        checked = []
        for index in indices:
            if not -num_layers <= index < num_layers:
                raise ValueError(
                    f'token_mix_layers: this ViT has {num_layers} layers, '
                    f'indexed 0..{num_layers - 1} (or -{num_layers}..-1), '
                    f'got {index}.')
            checked.append(index % num_layers)
        if len(set(checked)) != len(checked):
            raise ValueError(f'token_mix_layers names a layer twice: '
                             f'{list(indices)}.')
        return sorted(checked)

    @staticmethod
    def _token_mix_cfgs(layer_cfgs: Union[dict, Sequence[dict]],
                        num_layers: int, token_mix_layers: list,
                        other_frame_scale: Optional[float]) -> list:
        """Per-layer configs with ``token_mix`` set from the layer list."""
        if isinstance(layer_cfgs, dict):
            layer_cfgs = [layer_cfgs] * num_layers
        cfgs = []
        for i, override in enumerate(layer_cfgs):
            cfg = {'type': 'TokenMixLayer', **copy.deepcopy(override)}
            layer_cls = MODELS.get(cfg['type'])
            if not (isinstance(layer_cls, type)
                    and issubclass(layer_cls, TokenMixLayer)):
                raise TypeError(
                    f'TokenMixViT layers must derive from TokenMixLayer, '
                    f'got {cfg["type"]!r} for layer {i}.')
            cfg['token_mix'] = i in token_mix_layers
            if cfg['token_mix'] and other_frame_scale is not None:
                cfg['other_frame_scale'] = other_frame_scale
            cfgs.append(cfg)
        return cfgs

    def _init_temporal_from_spatial(self, state_dict, prefix, *args,
                                    **kwargs):
        """Fill the temporal blocks and norm of an image checkpoint from its
        last spatial layers and final norm (keys the checkpoint lacks)."""
        first = self.num_layers - len(self.temporal_layers)
        sources = {'temporal_ln.': 'ln1.'}
        sources.update({
            f'temporal_layers.{i}.': f'layers.{first + i}.'
            for i in range(len(self.temporal_layers))
        })
        for name, src in sources.items():
            for key in list(state_dict):
                if key.startswith(prefix + src):
                    new_key = prefix + name + key[len(prefix + src):]
                    state_dict.setdefault(new_key, state_dict[key].clone())
        state_dict.setdefault(prefix + 'temporal_pos_embed',
                              torch.zeros_like(self.temporal_pos_embed))

    def forward_temporal(self, x: torch.Tensor) -> torch.Tensor:
        """The temporal blocks and their norm on (B, T, N, C) tokens."""
        if x.shape[1] != self.num_frames:
            raise ValueError(
                f'The temporal position embedding was built for num_frames='
                f'{self.num_frames}, got clips of {x.shape[1]} frames.')
        x = x + self.temporal_pos_embed
        for layer in self.temporal_layers:
            x = layer(x)
        return self.temporal_ln(x)

    def forward_layers(self, x: torch.Tensor) -> torch.Tensor:
        x = super().forward_layers(x)
        return self.forward_temporal(x) if self.temporal_layers else x
