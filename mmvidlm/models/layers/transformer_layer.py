# Copyright (c) mmvidlm authors. All rights reserved.
from typing import Optional, Tuple

import torch
from mmpretrain.models.backbones.vision_transformer import \
    TransformerEncoderLayer

from mmvidlm.registry import MODELS


@MODELS.register_module()
class VideoTransformerLayer(TransformerEncoderLayer):
    """MMPretrain's ViT encoder layer applied to the frames of a clip.

    The layer of every video backbone in mmvidlm takes and returns
    ``(B, T, N, C)`` tensors, so that layers which model time (token mixing,
    ST-Adapter, ...) and layers which do not share one interface. This one
    treats frames independently, with the parameter names of the image layer
    (``ln1``, ``attn.qkv``, ``attn.proj``, ``ln2``, ``ffn.layers``). A
    method's layer derives from it: it adds modules (listed in
    ``adapters``, the parameters a backbone's ``trainable=['adapters']``
    selects) and/or replaces the attention (``attn_cfg``).

    Args:
        attn_cfg (dict, optional): A registered attention built in place of
            the image attention, with the same shape arguments and parameter
            names, e.g. ``dict(type='TokenMixAttention')``. An attention with
            ``mixes_frames = True`` receives (B, T, N, C) tokens, any other
            each frame's (B*T, N, C). Defaults to None (the image
            attention).
        **kwargs: The arguments of MMPretrain's ``TransformerEncoderLayer``.
    """
    #: Names of the modules / parameters the layer adds to the image layer.
    adapters: Tuple[str, ...] = ()

    def __init__(self, attn_cfg: Optional[dict] = None, **kwargs):
        super().__init__(**kwargs)
        if attn_cfg is not None:
            self.attn = MODELS.build(
                dict(self.attention_kwargs(kwargs), **attn_cfg))

    def attention_kwargs(self, layer_kwargs: dict) -> dict:
        """The arguments this layer built its ``attn`` with, to build
        another attention of the same shape (token-mixing, temporal)."""
        return dict(
            embed_dims=self.attn.embed_dims,
            num_heads=self.attn.num_heads,
            attn_drop=self.attn.attn_drop,
            proj_drop=self.attn.proj_drop.p,
            dropout_layer=dict(
                type='DropPath',
                drop_prob=layer_kwargs.get('drop_path_rate', 0.)),
            qkv_bias=self.attn.qkv.bias is not None,
            layer_scale_init_value=layer_kwargs.get('layer_scale_init_value',
                                                    0.))

    def attend(self, x: torch.Tensor) -> torch.Tensor:
        """The attention branch on normalised (B, T, N, C) tokens."""
        if getattr(self.attn, 'mixes_frames', False):
            return self.attn(x)
        # (B, T, N, C) -> (B*T, N, C) -> (B, T, N, C): frames independent
        return self.attn(x.flatten(0, 1)).unflatten(0, x.shape[:2])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the layer.

        Args:
            x (Tensor): Tokens of shape (B, T, N, C).

        Returns:
            Tensor: Tokens of shape (B, T, N, C).
        """
        x = x + self.attend(self.ln1(x))
        return self.ffn(self.ln2(x), identity=x)
