# Copyright (c) mmvidlm authors. All rights reserved.
import pytest
import torch

from mmvidlm.models.layers import TokenLayout, TokenMerging


def tokens(P=16):
    torch.manual_seed(0)
    return torch.randn(2, 3, 1 + P, 8)


@pytest.mark.parametrize('keep_ratio,kept', [(0.5, 8), (0.75, 12), (1., 16)])
def test_reaches_the_token_budget(keep_ratio, kept):
    x = tokens()
    out, layout = TokenMerging(8, keep_ratio)(x, TokenLayout.initial(x))
    size = layout.size
    assert out.shape == (2, 3, 1 + kept, 8)
    # Every input patch is accounted for once; [CLS] is kept as it is.
    assert torch.equal(size[:, :, 1:].sum(2), torch.full((2, 3, 1), 16.))
    assert torch.equal(out[:, :, 0], x[:, :, 0])


def test_merge_is_size_weighted():
    x = tokens()
    merge = TokenMerging(8, 0.5)
    out, layout = merge(x, TokenLayout.initial(x))
    size = layout.size
    # The size-weighted sum of the patch tokens is preserved ...
    assert torch.allclose(
        (out[:, :, 1:] * size[:, :, 1:]).sum(2), x[:, :, 1:].sum(2), atol=1e-5)
    # ... also across two merges (sizes are carried).
    out2, layout2 = merge(out, layout)
    size2 = layout2.size
    assert out2.shape[2] == 1 + 4
    assert torch.allclose(
        (out2[:, :, 1:] * size2[:, :, 1:]).sum(2),
        x[:, :, 1:].sum(2),
        atol=1e-4)


def test_merges_the_most_similar_tokens():
    x = torch.randn(1, 1, 1 + 4, 8)
    x[0, 0, 2] = x[0, 0, 1]  # tokens 0 and 1 of the patches are equal
    out, layout = TokenMerging(8, 0.75)(x, TokenLayout.initial(x))
    size = layout.size
    assert sorted(size[0, 0, 1:, 0].tolist()) == [1., 1., 2.]
    assert any(torch.allclose(t, x[0, 0, 1]) for t in out[0, 0, 1:])


def test_bad_ratio():
    with pytest.raises(ValueError, match='keep_ratio'):
        TokenMerging(8, 0.)
