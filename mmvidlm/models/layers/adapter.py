# Copyright (c) mmvidlm authors. All rights reserved.
from typing import Sequence

import torch
import torch.nn as nn
from mmcv.cnn import build_activation_layer
from mmengine.model import BaseModule

from mmvidlm.registry import MODELS
from .transformer_layer import VideoTransformerLayer


class Adapter(BaseModule):
    """A bottleneck adapter: ``x + up(hidden(act(down(x))))``.

    Houlsby's adapter is ``down``, GELU, ``up``; the Token Mixing reference
    code (``Adapter`` of its models/vit.py) has a sigmoid and one hidden
    ``Linear(bottleneck, bottleneck)`` after it. The up-projection starts
    at zero, so the adapter starts as the identity and the pre-trained
    model is unchanged at initialisation.

    Args:
        embed_dims (int): Input and output width.
        bottleneck (int): Width of the bottleneck.
        act_cfg (dict): Activation after the down-projection. Defaults to
            ``dict(type='GELU')``.
        num_hidden (int): ``Linear(bottleneck, bottleneck)`` layers after
            the activation. Defaults to 0.
    """

    def __init__(self,
                 embed_dims: int,
                 bottleneck: int,
                 act_cfg: dict = dict(type='GELU'),
                 num_hidden: int = 0):
        super().__init__()
        self.down = nn.Linear(embed_dims, bottleneck)
        self.act = build_activation_layer(act_cfg)
        self.hidden = nn.Sequential(*(nn.Linear(bottleneck, bottleneck)
                                      for _ in range(num_hidden)))
        self.up = nn.Linear(bottleneck, embed_dims)
        self._init_identity()

    def _init_identity(self) -> None:
        nn.init.zeros_(self.up.weight)
        nn.init.zeros_(self.up.bias)

    def init_weights(self):
        """Generic initialisation, then the up-projection back to zero."""
        super().init_weights()
        self._init_identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.up(self.hidden(self.act(self.down(x))))


@MODELS.register_module()
class AdapterLayer(VideoTransformerLayer):
    """A ViT layer with bottleneck adapters.

    Two placements:

    * ``'output'`` (Houlsby et al., ICML 2019): an adapter on the output of
      the attention and/or the FFN, before its residual connection.
      Houlsby et al. train the adapters and the layer norms.
    * ``'input'`` (the Token Mixing reference, ``AdapterBlock``): an adapter
      on the residual stream before the attention (``x = x + a(x)``, then
      the attention) and/or before the FFN.

    Args:
        bottleneck (int): Adapter bottleneck width. Defaults to 48
            (768 / 16 for ViT-B).
        act_cfg (dict): Activation of the adapters. Defaults to
            ``dict(type='GELU')``.
        num_hidden (int): Hidden bottleneck layers of each adapter
            (:class:`Adapter`). Defaults to 0.
        placement (str): ``'output'`` or ``'input'`` (see above). Defaults
            to ``'output'``.
        sublayers (Sequence[str]): Which sublayers get an adapter:
            ``'attn'`` and/or ``'ffn'``. Defaults to ``('attn', 'ffn')``.
        **kwargs: The other arguments of :class:`VideoTransformerLayer`.
    """
    adapters = ('attn_adapter', 'ffn_adapter')
    PLACEMENTS = ('output', 'input')
    SUBLAYERS = ('attn', 'ffn')

    def __init__(self,
                 bottleneck: int = 48,
                 act_cfg: dict = dict(type='GELU'),
                 num_hidden: int = 0,
                 placement: str = 'output',
                 sublayers: Sequence[str] = ('attn', 'ffn'),
                 **kwargs):
        super().__init__(**kwargs)
        if placement not in self.PLACEMENTS:
            raise ValueError(f'AdapterLayer: placement must be one of '
                             f'{self.PLACEMENTS}, got {placement!r}.')
        if not sublayers or not set(sublayers) <= set(self.SUBLAYERS):
            raise ValueError(f'AdapterLayer: sublayers must be a non-empty '
                             f'subset of {self.SUBLAYERS}, got '
                             f'{sublayers!r}.')
        self.placement = placement
        for sublayer in self.SUBLAYERS:
            adapter = Adapter(self.embed_dims, bottleneck, act_cfg,
                              num_hidden) if sublayer in sublayers else None
            setattr(self, f'{sublayer}_adapter', adapter)

    def _adapt(self, name: str, x: torch.Tensor) -> torch.Tensor:
        adapter = getattr(self, name)
        return x if adapter is None else adapter(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.placement == 'input':
            x = self._adapt('attn_adapter', x)
            x = x + self.attend(self.ln1(x))
            x = self._adapt('ffn_adapter', x)
            return self.ffn(self.ln2(x), identity=x)
        x = x + self._adapt('attn_adapter', self.attend(self.ln1(x)))
        # identity=0: the FFN returns its branch, the adapter goes before
        # the skip connection
        return x + self._adapt('ffn_adapter', self.ffn(
            self.ln2(x), identity=0.))
