# Copyright (c) mmvidlm authors. All rights reserved.
import itertools

import pytest
import torch

from mmvidlm.models.layers import (InterFrameTokenInterpolation,
                                   InTIWeightPredictor)
from mmvidlm.models.layers.inti import (CONTEXT_LEVELS,
                                        TemporalPositionEmbedding)

C, N = 16, 1 + 3 * 3  # width, [CLS] + a 3x3 patch grid


def tokens(B=2, T=4):
    torch.manual_seed(0)
    return torch.randn(B, T, N, C)


@pytest.mark.parametrize('T', [2, 4, 8])
def test_halves_frames(T):
    inti = InterFrameTokenInterpolation(C, num_frames=T, reduced_dims=8)
    assert inti(tokens(T=T)).shape == (2, T // 2, N, C)


@pytest.mark.parametrize('head', ['softmax', 'attention'])
def test_weights_sum_to_one(head):
    predictor = InTIWeightPredictor(C, 8, head=head)
    weights = predictor(tokens())
    assert weights.shape == (2, 2, N, 2)
    assert torch.allclose(weights.sum(-1), torch.ones(2, 2, N))
    assert (weights > 0).all()


def test_sigmoid_head_is_unconstrained():
    weights = InTIWeightPredictor(C, 8, head='sigmoid')(tokens())
    assert ((weights > 0) & (weights < 1)).all()
    assert not torch.allclose(weights.sum(-1), torch.ones(2, 2, N))


def test_output_is_convex_combination_of_the_pair():
    inti = InterFrameTokenInterpolation(C, num_frames=4, reduced_dims=8)
    x = tokens()
    weights = inti.predictor(x)
    expected = (weights[..., :1] * x[:, 0::2] + weights[..., 1:] * x[:, 1::2])
    assert torch.allclose(inti(x), expected, atol=1e-6)


def test_temporal_embedding_is_zero_at_init():
    embed = TemporalPositionEmbedding(num_frames=4, embed_dims=C)
    x = tokens()
    assert embed.scale.item() == 0
    assert torch.equal(embed(x), x)
    # The embedding itself is not zero, so the scale can learn.
    embed(x).sum().backward()
    assert embed.embed.abs().sum() > 0
    assert embed.scale.grad.abs().item() > 0


def test_static_clip_keeps_the_image_features_at_init():
    """At init the temporal embedding adds nothing and the weights sum to
    one, so fusing a frame with itself returns the frame exactly."""
    inti = InterFrameTokenInterpolation(C, num_frames=4, reduced_dims=8)
    frame = tokens(T=1)
    out = inti(frame.expand(-1, 4, -1, -1))
    assert torch.allclose(out, frame.expand(-1, 2, -1, -1), atol=1e-6)


def test_gradients_reach_the_predictor():
    inti = InterFrameTokenInterpolation(C, num_frames=4, reduced_dims=8)
    x = tokens().requires_grad_()
    (inti(x) * torch.randn(2, 2, N, C)).sum().backward()
    for name, param in inti.named_parameters():
        assert param.grad is not None, name
        if name != 'temporal_embed.embed':  # times a zero scale at init
            assert param.grad.abs().sum() > 0, name
    assert x.grad.abs().sum() > 0


def test_order_matters():
    """The predictor reads the pair in order: swapping the frames of a pair
    changes the weights (not just their order)."""
    predictor = InTIWeightPredictor(C, 8)
    x = tokens()
    swapped = x[:, [1, 0, 3, 2]]
    assert not torch.allclose(
        predictor(x), predictor(swapped).flip(-1), atol=1e-4)


SUBSETS = [
    levels for k in range(1, 5)
    for levels in itertools.combinations(CONTEXT_LEVELS, k)
]


@pytest.mark.parametrize('levels', SUBSETS, ids='-'.join)
@pytest.mark.parametrize('fusion', ['sep', 'add', 'cat'])
def test_every_context_and_fusion_runs(levels, fusion):
    if fusion == 'sep' and 'token' not in levels:
        with pytest.raises(ValueError, match="needs the 'token'"):
            InTIWeightPredictor(C, 8, levels, fusion)
        return
    inti = InterFrameTokenInterpolation(
        C, num_frames=4, reduced_dims=8, context_levels=levels, fusion=fusion)
    assert inti(tokens()).shape == (2, 2, N, C)
    assert set(inti.predictor.contexts) == set(levels)


@pytest.mark.parametrize('head', ['softmax', 'sigmoid', 'attention'])
def test_every_head_runs(head):
    inti = InterFrameTokenInterpolation(
        C, num_frames=4, reduced_dims=8, head=head)
    inti(tokens()).sum().backward()


def test_without_temporal_embedding():
    inti = InterFrameTokenInterpolation(
        C, num_frames=4, reduced_dims=8, temporal_embedding=False)
    assert not any('temporal' in n for n, _ in inti.named_parameters())
    assert inti(tokens()).shape == (2, 2, N, C)


def test_reduced_dims_default():
    inti = InterFrameTokenInterpolation(64, num_frames=4)
    assert inti.predictor.fc1.out_features == 8


def test_user_errors():
    with pytest.raises(ValueError, match='T must be even'):
        InterFrameTokenInterpolation(C, num_frames=4)(tokens(T=3))
    with pytest.raises(ValueError, match='context_levels'):
        InTIWeightPredictor(C, 8, ('token', 'pixel'))
    with pytest.raises(ValueError, match='fusion'):
        InTIWeightPredictor(C, 8, fusion='mul')
    with pytest.raises(ValueError, match='head'):
        InTIWeightPredictor(C, 8, head='tanh')
    with pytest.raises(ValueError, match='square grid'):
        InterFrameTokenInterpolation(
            C, num_frames=4)(
                torch.randn(1, 4, 1 + 5, C))
