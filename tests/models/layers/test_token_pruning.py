# Copyright (c) mmvidlm authors. All rights reserved.
import pytest
import torch

from mmvidlm.models.layers import TemporalAccumulationPruning, TokenLayout


def tokens(T=4, P=16, C=8):
    torch.manual_seed(0)
    return torch.randn(2, T, 1 + P, C)


@pytest.mark.parametrize('keep_ratio,kept', [(0.5, 8), (0.25, 4), (1., 16)])
def test_reaches_the_token_budget(keep_ratio, kept):
    x = tokens()
    out, layout = TemporalAccumulationPruning(8, keep_ratio)(
        x, TokenLayout.initial(x))
    assert out.shape == (2, 4, 1 + kept, 8)
    assert torch.equal(out[:, :, 0], x[:, :, 0])  # [CLS] kept
    # Kept tokens are input tokens, in their original order: the kept grid
    # positions hold tokens 1, 2, ... in turn.
    kept_at = layout.source >= 0
    assert (kept_at.sum(-1) == kept).all()
    assert torch.equal(layout.source[kept_at].view(2, 4, kept),
                       torch.arange(1, 1 + kept).expand(2, 4, kept))
    assert torch.equal(out[:, :, 1:], x[:, :, 1:][kept_at].view(2, 4, kept, 8))


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
