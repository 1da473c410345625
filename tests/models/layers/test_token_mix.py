# Copyright (c) mmvidlm authors. All rights reserved.
import pytest
import torch
from mmpretrain.models.utils import MultiheadAttention

from mmvidlm.models import VideoViT
from mmvidlm.models.layers import (TokenMixAttention, TokenMixLayer,
                                   VideoTransformerLayer)

C, HEADS = 32, 4


def slow_token_mix(attn: TokenMixAttention, x: torch.Tensor,
                   other_frame_scale=None) -> torch.Tensor:
    """Eq. 8 by explicit gathering of the key/value set and a softmax."""
    B, T, N, _ = x.shape
    D = C // HEADS
    q, k, v = attn.qkv(x).view(B, T, N, 3, HEADS, D).unbind(3)
    # [CLS] of every frame, then patch p from frame p mod T
    keys = [(t, 0) for t in range(T)] + [(p % T, 1 + p) for p in range(N - 1)]
    K = torch.stack([k[:, t, n] for t, n in keys], dim=1)  # (B, M, H, D)
    V = torch.stack([v[:, t, n] for t, n in keys], dim=1)
    logits = torch.einsum('btnhd,bmhd->btnhm', q, K) / D**0.5
    if other_frame_scale is not None:
        key_frame = torch.tensor([t for t, _ in keys])
        same = key_frame[None] == torch.arange(T)[:, None]  # (T, M)
        factor = torch.where(same, 1., other_frame_scale)
        logits = logits * factor[None, :, None, None, :]
    out = torch.einsum('btnhm,bmhd->btnhd', logits.softmax(-1), V)
    return attn.proj(out.reshape(B, T, N, C))


@pytest.mark.parametrize('scale', [None, 0.8])
@pytest.mark.parametrize('T', [1, 3, 4])
def test_token_mix_equals_slow_reference(T, scale):
    torch.manual_seed(0)
    attn = TokenMixAttention(
        embed_dims=C, num_heads=HEADS, other_frame_scale=scale)
    x = torch.randn(2, T, 1 + 9, C)
    torch.testing.assert_close(attn(x), slow_token_mix(attn, x, scale))


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
    assert [i for i, layer in enumerate(mixed.layers)
            if isinstance(layer.attn, TokenMixAttention)] == [0, 3]


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
