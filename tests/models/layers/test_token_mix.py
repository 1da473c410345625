# Copyright (c) mmvidlm authors. All rights reserved.
import itertools

import pytest
import torch
from mmpretrain.models.utils import MultiheadAttention

from mmvidlm.models import VideoViT
from mmvidlm.models.layers import (TokenMixAttention, TokenMixLayer,
                                   VideoTransformerLayer)

C, HEADS = 32, 4


def hand_token_mix(attn: TokenMixAttention,
                   x: torch.Tensor,
                   other_frame_scale=None) -> torch.Tensor:
    """Eq. 8 query by query, with the reference's mask.

    The key/value set is gathered as ``FusionAttention`` in
    LiuRicky/video_language_model models/vit.py does: the [CLS] token of
    every frame, then for each frame i its patches i, i + T, i + 2T, ...
    (``indices_per_frame``). A query's logit ``q.k / sqrt(D)`` is multiplied
    by ``other_frame_scale`` for the patch keys of the other frames only:
    the mask is 1 for every [CLS] key and for the patches of the query's
    own frame.
    """
    B, T, N, _ = x.shape
    D = C // HEADS
    q, k, v = attn.qkv(x).view(B, T, N, 3, HEADS, D).unbind(3)
    keys = [(t, 0) for t in range(T)]
    keys += [(i, n) for i in range(T) for n in range(1 + i, N, T)]
    out = torch.zeros(B, T, N, HEADS, D, dtype=x.dtype)
    for b, t, n, h in itertools.product(
            range(B), range(T), range(N), range(HEADS)):
        logits = []
        for key_t, key_n in keys:
            logit = q[b, t, n, h] @ k[b, key_t, key_n, h] / D**0.5
            if other_frame_scale is not None and key_n > 0 and key_t != t:
                logit = logit * other_frame_scale
            logits.append(logit)
        weights = torch.stack(logits).exp()
        weights = weights / weights.sum()
        for weight, (key_t, key_n) in zip(weights, keys):
            out[b, t, n, h] += weight * v[b, key_t, key_n, h]
    return attn.proj(out.reshape(B, T, N, C))


@pytest.mark.parametrize('scale', [None, 0.8, 0.])
@pytest.mark.parametrize('T', [1, 3, 4])
def test_token_mix_equals_hand_computation(T, scale):
    torch.manual_seed(0)
    attn = TokenMixAttention(
        embed_dims=C, num_heads=HEADS, other_frame_scale=scale).double()
    x = torch.randn(2, T, 1 + 9, C, dtype=torch.float64)
    with torch.no_grad():
        torch.testing.assert_close(attn(x), hand_token_mix(attn, x, scale))


def test_token_mix_single_frame_is_ordinary_attention():
    torch.manual_seed(0)
    attn = TokenMixAttention(embed_dims=C, num_heads=HEADS)
    plain = MultiheadAttention(embed_dims=C, num_heads=HEADS)
    plain.load_state_dict(attn.state_dict())
    x = torch.randn(3, 1, 17, C)
    torch.testing.assert_close(attn(x), plain(x[:, 0])[:, None])


def test_token_mix_layer_has_the_image_layers_parameters():
    cfg = dict(embed_dims=C, num_heads=HEADS, feedforward_channels=2 * C)
    mixed = TokenMixLayer(**cfg)
    image = VideoTransformerLayer(**cfg)
    mixed_shapes = {k: v.shape for k, v in mixed.state_dict().items()}
    image_shapes = {k: v.shape for k, v in image.state_dict().items()}
    assert mixed_shapes == image_shapes
    mixed.load_state_dict(image.state_dict())  # strict


def tiny_vit(cls, **kwargs):
    return cls(
        arch='tiny',
        img_size=32,
        patch_size=8,
        out_type='raw',
        act_cfg=dict(type='GELU'),
        **kwargs)


def test_token_mix_vit_loads_image_weights_and_matches_with_one_frame():
    torch.manual_seed(0)
    plain = tiny_vit(VideoViT, num_frames=1)
    plain.init_weights()
    mixed = tiny_vit(
        VideoViT,
        num_frames=1,
        layer_cfgs=dict(type='TokenMixLayer', layers=[0, -1]))
    assert sum(p.numel() for p in mixed.parameters()) == \
        sum(p.numel() for p in plain.parameters())
    mixed.load_state_dict(plain.state_dict())  # strict: same names
    x = torch.randn(2, 3, 1, 32, 32)
    torch.testing.assert_close(mixed(x), plain(x))
    # more frames: the token-mixing layers see the other frames
    x = torch.randn(1, 3, 4, 32, 32)
    assert not torch.allclose(mixed(x)[:, 0], mixed(x[:, :, :1])[:, 0])
    assert [
        i for i, layer in enumerate(mixed.layers)
        if isinstance(layer.attn, TokenMixAttention)
    ] == [0, 3]


@pytest.mark.parametrize('layers', [[4], [-5], [1, -3]])
def test_token_mix_layer_index_errors(layers):
    with pytest.raises(ValueError, match='layer_cfgs: layers'):
        tiny_vit(
            VideoViT, layer_cfgs=dict(type='TokenMixLayer', layers=layers))


def test_no_default_turns_token_mixing_on():
    """Token mixing is a layer type: a ViT without it mixes nothing."""
    model = tiny_vit(VideoViT, num_frames=4)
    assert not any(
        isinstance(layer.attn, TokenMixAttention) for layer in model.layers)
    x = torch.randn(1, 3, 4, 32, 32)
    torch.testing.assert_close(model(x)[:, :1], model(x[:, :, :1]))
