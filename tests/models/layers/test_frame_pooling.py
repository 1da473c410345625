# Copyright (c) mmvidlm authors. All rights reserved.
import pytest
import torch

from mmvidlm.models.layers import ConvPooling, LinearPooling


def tokens(T=4):
    torch.manual_seed(0)
    return torch.randn(2, T, 5, 8)


@pytest.mark.parametrize('cls', [LinearPooling, ConvPooling])
def test_starts_as_the_average_of_each_pair(cls):
    x = tokens()
    out = cls(embed_dims=8, num_frames=4)(x)
    assert out.shape == (2, 2, 5, 8)
    assert torch.allclose(out, (x[:, 0::2] + x[:, 1::2]) / 2, atol=1e-6)


def test_linear_pooling_is_one_convex_weight_pair():
    pool = LinearPooling(embed_dims=8, num_frames=4)
    assert sum(p.numel() for p in pool.parameters()) == 2
    with torch.no_grad():
        pool.logits.copy_(torch.tensor([2., -1.]))
    x = tokens()
    w = torch.tensor([2., -1.]).softmax(0)
    assert torch.allclose(pool(x), w[0] * x[:, 0::2] + w[1] * x[:, 1::2])


@pytest.mark.parametrize('cls', [LinearPooling, ConvPooling])
def test_trains_and_rejects_odd_frames(cls):
    pool = cls(embed_dims=8, num_frames=4)
    pool(tokens()).pow(2).sum().backward()
    assert all(p.grad is not None for p in pool.parameters())
    with pytest.raises(ValueError, match='T must be even'):
        pool(tokens(T=3))
