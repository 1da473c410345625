# Copyright (c) mmvidlm authors. All rights reserved.
import pytest
import torch

from mmvidlm.models.layers import TemporalAccumulationPruning


def tokens(T=4, P=16, C=8):
    torch.manual_seed(0)
    return torch.randn(2, T, 1 + P, C)


@pytest.mark.parametrize('keep_ratio,kept', [(0.5, 8), (0.25, 4), (1., 16)])
def test_reaches_the_token_budget(keep_ratio, kept):
    x = tokens()
    size = torch.arange(17.).expand(2, 4, 17)[..., None]
    out, out_size = TemporalAccumulationPruning(8, keep_ratio)(x, size)
    assert out.shape == (2, 4, 1 + kept, 8)
    assert torch.equal(out[:, :, 0], x[:, :, 0])  # [CLS] kept
    # Kept tokens are input tokens, in their original order, with sizes.
    index = out_size[..., 0].long()
    assert (index[..., 1:].diff(dim=-1) > 0).all()
    assert torch.equal(out, x.gather(2, index[..., None].expand(-1, -1, -1,
                                                                8)))


def test_redundant_tokens_pass_their_score_back():
    """A token repeated in every frame is pruned in the later frames and
    kept (with the accumulated score) in the first."""
    x = tokens(T=3, P=4, C=256)  # wide: random tokens are not similar
    x[:, :, 0] = 0  # uninformative [CLS]: equal importance
    x[:, 1:, 1] = x[:, :1, 1]  # patch 0 repeats in frames 1 and 2
    scores = TemporalAccumulationPruning(256).scores(x)
    assert (scores[:, 0, :1] > scores[:, 0, 1:]).all()
    assert (scores[:, 2, 0] < 1e-3).all()
    # No score is lost: each frame's importances sum to one.
    assert torch.allclose(scores.sum((1, 2)), torch.full((2, ), 3.))
