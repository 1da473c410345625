# Copyright (c) mmvidlm authors. All rights reserved.
import torch
import torch.nn as nn
from mmpretrain.models.utils import MultiheadAttention

from mmvidlm.registry import MODELS
from .transformer_layer import VideoTransformerLayer


@MODELS.register_module()
class DualAttentionLayer(VideoTransformerLayer):
    """A ViT layer with CogVideo's dual-channel attention (Token Mixing,
    Eq. 5).

    A temporal multi-head attention (each position attends to itself in
    every frame) runs in parallel with the spatial one; the two are mixed
    as ``alpha * spatial + (1 - alpha) * temporal`` with a learnable
    ``alpha``. The temporal channel's input gets a learnable temporal
    position embedding, one vector per frame, so that it sees frame order:
    attention alone is blind to it. CogVideo's frames get their own position
    embeddings, each started as a copy of the image model's, i.e. with no
    difference between frames; here the embedding starts at zero. When an
    image checkpoint is loaded, ``temporal_attn`` is initialised from the
    spatial ``attn``.

    Args:
        num_frames (int): Frames per clip (size of the temporal position
            embedding); the backbone fills in its own. Defaults to 8.
        alpha_init (float): Initial ``alpha``; 1 starts from the image
            model's output. Defaults to 1.
        **kwargs: The other arguments of :class:`VideoTransformerLayer`.
    """
    adapters = ('temporal_attn', 'alpha', 'temporal_pos_embed')
    takes_num_frames = True  # VideoViT passes its num_frames

    def __init__(self, num_frames: int = 8, alpha_init: float = 1., **kwargs):
        super().__init__(**kwargs)
        self.temporal_attn = MultiheadAttention(
            **self.attention_kwargs(kwargs))
        self.alpha = nn.Parameter(torch.tensor(float(alpha_init)))
        self.temporal_pos_embed = nn.Parameter(
            torch.zeros(1, num_frames, 1, self.embed_dims))
        self._register_load_state_dict_pre_hook(
            self._init_temporal_from_spatial)

    def _init_temporal_from_spatial(self, state_dict, prefix, *args, **kwargs):
        """Copy ``attn.*`` to the ``temporal_attn.*`` keys a checkpoint
        lacks, and keep ``alpha`` and the temporal position embedding at
        their initial values."""
        for key in list(state_dict):
            if key.startswith(prefix + 'attn.'):
                new_key = prefix + 'temporal_' + key[len(prefix):]
                state_dict.setdefault(new_key, state_dict[key].clone())
        for name in ('alpha', 'temporal_pos_embed'):
            state_dict.setdefault(prefix + name,
                                  getattr(self, name).detach().clone())

    def temporal(self, x: torch.Tensor) -> torch.Tensor:
        """Temporal attention on normalised (B, T, N, C) tokens."""
        B, T, N, C = x.shape
        if T != self.temporal_pos_embed.shape[1]:
            raise ValueError(
                f'DualAttentionLayer: the temporal position embedding was '
                f'built for num_frames={self.temporal_pos_embed.shape[1]} '
                f"(the backbone's num_frames), got clips of {T} frames.")
        x = x + self.temporal_pos_embed
        # (B, T, N, C) -> (B*N, T, C) -> (B, T, N, C)
        x = self.temporal_attn(x.transpose(1, 2).flatten(0, 1))
        return x.unflatten(0, (B, N)).transpose(1, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.ln1(x)
        x = x + self.alpha * self.attend(h) + \
            (1 - self.alpha) * self.temporal(h)
        return self.ffn(self.ln2(x), identity=x)
