# Copyright (c) mmvidlm authors. All rights reserved.
from typing import Optional

import torch
import torch.nn.functional as F
from mmpretrain.models.utils import MultiheadAttention

from mmvidlm.registry import MODELS
from .transformer_layer import VideoTransformerLayer


def token_mix_index(num_frames: int,
                    num_tokens: int,
                    device: Optional[torch.device] = None) -> torch.Tensor:
    """Positions of the shared key/value set in a clip's flattened tokens.

    The set holds the [CLS] token of every frame, then the "mosaic" of patch
    tokens in which patch position p comes from frame ``p mod T`` (Token
    Mixing, Fig. 3, "for each position s we select the token from frame
    T mod s").

    Args:
        num_frames (int): T.
        num_tokens (int): N = 1 + S tokens per frame, [CLS] first.
        device (torch.device, optional): Device of the index.

    Returns:
        Tensor: (T + S,) indices into the T * N tokens of a clip.
    """
    frames = torch.arange(num_frames, device=device)
    patches = torch.arange(1, num_tokens, device=device)
    cls_index = frames * num_tokens
    mosaic_index = (patches - 1) % num_frames * num_tokens + patches
    return torch.cat([cls_index, mosaic_index])


@MODELS.register_module()
class TokenMixAttention(MultiheadAttention):
    """Multi-head attention in which every token of a clip attends to one
    key/value set mixed from all its frames (Token Mixing, Eq. 8).

    The keys and values are those of :func:`token_mix_index`: T [CLS]
    tokens and S mosaic patch tokens, so attention costs what spatial
    attention costs. The parameters are MMPretrain's
    :class:`MultiheadAttention` ones (``qkv``, ``proj``): an image layer's
    weights load unchanged. Keys and values are projected for the T + S
    selected tokens only.

    Args:
        other_frame_scale (float, optional): Multiplies the attention logit
            of every mosaic patch key that comes from a frame other than the
            query's; the [CLS] keys of all frames stay unscaled. This is the
            mask of the public reference implementation
            (``FusionAttention`` in LiuRicky/video_language_model
            models/vit.py, which uses 0.8). None keeps the plain Eq. 8.
            Defaults to None.
        **kwargs: The arguments of MMPretrain's ``MultiheadAttention``.
    """
    mixes_frames = True  # takes (B, T, N, C) tokens

    def __init__(self, other_frame_scale: Optional[float] = None, **kwargs):
        super().__init__(**kwargs)
        if self.v_shortcut or self.input_dims != self.embed_dims:
            raise ValueError('TokenMixAttention needs input_dims == '
                             'embed_dims and no v_shortcut.')
        self.other_frame_scale = other_frame_scale

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Token-mixing attention of clips.

        Args:
            x (Tensor): Tokens of shape (B, T, N, C), [CLS] first.

        Returns:
            Tensor: (B, T, N, C).
        """
        B, T, N, C = x.shape
        H, D = self.num_heads, self.head_dims
        index = token_mix_index(T, N, x.device)
        kv_tokens = x.flatten(1, 2).index_select(1, index)  # (B, T+S, C)

        weight, bias = self.qkv.weight, self.qkv.bias
        q = F.linear(x, weight[:C], None if bias is None else bias[:C])
        kv = F.linear(kv_tokens, weight[C:],
                      None if bias is None else bias[C:])
        # (B, T, N, C) -> (B, H, T, N, D); (B, T+S, 2C) -> 2 x (B, H, T+S, D)
        q = q.view(B, T, N, H, D).permute(0, 3, 1, 2, 4)
        k, v = kv.view(B, -1, 2, H, D).permute(2, 0, 3, 1, 4)

        dropout_p = self.attn_drop if self.training else 0.
        if self.other_frame_scale is None:
            x = self.scaled_dot_product_attention(
                q.flatten(2, 3), k, v, dropout_p=dropout_p)
            x = x.unflatten(2, (T, N))
        else:
            # The factor depends on (query frame, key): one key set per
            # query frame, (B, H, T, T+S, D); keys are T+S, not T*N. The
            # first T keys are the [CLS] tokens, never scaled.
            key_frame = torch.div(index, N, rounding_mode='floor')
            frame = torch.arange(T, device=x.device)[:, None]
            unscaled = (key_frame[None] == frame) | (index % N == 0)[None]
            factor = torch.where(unscaled, 1.,
                                 self.other_frame_scale).to(k.dtype)
            k = k.unsqueeze(2) * factor[..., None]
            v = v.unsqueeze(2).expand_as(k)
            x = self.scaled_dot_product_attention(
                q.flatten(0, 1),
                k.flatten(0, 1),
                v.flatten(0, 1),
                dropout_p=dropout_p).unflatten(0, (B, H))
        # (B, H, T, N, D) -> (B, T, N, C)
        x = x.permute(0, 2, 3, 1, 4).reshape(B, T, N, C)
        x = self.proj(x)
        return self.out_drop(self.gamma1(self.proj_drop(x)))


@MODELS.register_module()
class TokenMixLayer(VideoTransformerLayer):
    """A ViT encoder layer whose attention mixes tokens across frames
    (Token Mixing, AAAI 2023): :class:`TokenMixAttention` with the image
    layer's parameters, so image checkpoints load unchanged. Chosen per
    layer, e.g. ``layer_cfgs=dict(type='TokenMixLayer', layers=[-1])`` (the
    paper's default, the last layer); the parameter-efficient layers compose
    with it through ``attn_cfg=dict(type='TokenMixAttention')``.

    Args:
        other_frame_scale (float, optional): See
            :class:`TokenMixAttention`. Defaults to None.
        **kwargs: The arguments of :class:`VideoTransformerLayer`.
    """

    def __init__(self, other_frame_scale: Optional[float] = None, **kwargs):
        super().__init__(
            attn_cfg=dict(
                type='TokenMixAttention', other_frame_scale=other_frame_scale),
            **kwargs)
