# Copyright (c) mmvidlm authors. All rights reserved.
"""ToMe as its paper (issue 12, item 10): r tokens of every frame merged in
every block, by keys, with proportional attention."""
import pytest
import torch

from mmvidlm.models.backbones import InTIViT
from mmvidlm.models.layers import LocalMHRALayer, TokenLayout, ToMeLayer
from mmvidlm.models.layers.token_merging import bipartite_merge

KWARGS = dict(embed_dims=8, num_heads=1, feedforward_channels=16)


def tokens(B=2, T=3, N=17, C=8):
    torch.manual_seed(0)
    return torch.randn(B, T, N, C)


@pytest.mark.parametrize('r', [1, 3, 8])
def test_merges_r_tokens_per_frame_never_the_cls(r):
    x = tokens()
    x[:, :, 0] = x[:, :, 1]  # [CLS] equal to a patch: still not merged
    layout = TokenLayout.initial(x)
    merged, new = bipartite_merge(x, layout, x, r)
    assert merged.shape == (2, 3, 17 - r, 8)
    assert torch.equal(merged[:, :, 0], x[:, :, 0])
    assert torch.equal(new.size[:, :, 0], torch.ones(2, 3, 1))
    # every patch position is held by one patch token, sizes count them
    assert (new.source >= 1).all()
    counts = torch.zeros_like(new.size[..., 0]).scatter_add(
        2, new.source, torch.ones_like(new.source, dtype=torch.float))
    assert torch.equal(counts[:, :, 1:], new.size[:, :, 1:, 0])
    # the layout's grid round trip gives the merged tokens back
    back = new.merge(new.unmerge(merged), merged.shape[2])
    assert torch.allclose(back[:, :, 1:], merged[:, :, 1:], atol=1e-6)
    # a layer merges r as well, and at most (N - 1) // 2
    layer = ToMeLayer(r=r, **KWARGS)
    out, out_layout = layer(x, layout)
    assert out.shape == (2, 3, 17 - r, 8)
    assert ToMeLayer(r=100, **KWARGS)(x, layout)[0].shape[2] == 17 - 8


def test_merge_is_a_size_weighted_average():
    x = tokens(N=5)
    size = torch.tensor([1., 1., 3., 1., 1.]).expand(2, 3, 5)[..., None]
    layout = TokenLayout(size, TokenLayout.initial(x).source)
    # patches 2 (A, size 3) and 1 (B) are the pair most alike
    metric = torch.randn(2, 3, 5, 8)
    metric[:, :, 2] = metric[:, :, 1]
    merged, new = bipartite_merge(x, layout, metric, 1)
    expected = (3 * x[:, :, 2] + x[:, :, 1]) / 4
    assert torch.allclose(
        merged,
        torch.cat([x[:, :, [0, 4]], expected[:, :, None], x[:, :, 3:4]],
                  dim=2))
    assert torch.equal(new.size[0, 0, :, 0], torch.tensor([1., 1., 4., 1.]))


def test_matching_reads_the_keys():
    """Keys see channels 0-3 only: patch 2 is matched to patch 1 by its key
    (equal), to patch 3 by its features (closer)."""
    layer = ToMeLayer(r=1, **KWARGS).eval()
    with torch.no_grad():
        layer.attn.qkv.weight.zero_()
        layer.attn.qkv.bias.zero_()
        layer.attn.qkv.weight[8:12, :4] = torch.eye(4)  # keys: channels 0-3
    x = torch.tensor([[0., 0, 0, 0, 0, 0, 0, 0], [1, -1, 0, 0, 5, -5, 0, 0],
                      [1, -1, 0, 0, -5, 5, 0, 0], [0, 0, 1, -1, -5, 5, 0, 0],
                      [0, 0, 0, 0, 0, 0, 1, -1]])[None, None]
    layout = TokenLayout.initial(x)
    _, by_keys = layer(x, layout)
    assert by_keys.source[0, 0, 1] == by_keys.source[0, 0, 0]  # 2 -> 1
    _, by_features = bipartite_merge(x, layout, x, 1)
    assert by_features.source[0, 0, 1] == by_features.source[0, 0, 2]


def test_proportional_attention_counts_a_token_size_times():
    """A token of size 2 is attended as two identical keys."""
    layer = ToMeLayer(r=0, **KWARGS).eval()
    x = tokens(B=1, T=1, N=5)
    doubled = torch.cat([x, x[:, :, 3:4]], dim=2)
    size = torch.tensor([1., 1., 1., 2., 1.]).view(1, 1, 5, 1)
    out, _ = layer.attend_with_keys(x, size)
    expected, _ = layer.attend_with_keys(doubled)
    assert torch.allclose(out, expected[:, :, :5], atol=1e-6)
    plain, _ = layer.attend_with_keys(x)
    assert not torch.allclose(plain, expected[:, :, :5], atol=1e-4)


def test_local_mhra_on_merged_tokens():
    """UniFormerV2's local MHRA in a ToMe layer: the plain local MHRA while
    nothing is merged; on merged tokens, the grid rebuilt from them."""
    kwargs = dict(embed_dims=64, num_heads=4, feedforward_channels=128)
    local = LocalMHRALayer(**kwargs).eval()
    for lmhra in (local.lmhra1, local.lmhra2):  # non-zero updates
        torch.nn.init.normal_(lmhra.pos_embed[3].weight, std=0.1)
    tome = ToMeLayer(r=0, dw_reduction=1.5, **kwargs).eval()
    tome.load_state_dict(local.state_dict())
    x = tokens(T=4, C=64)
    out, _ = tome(x, TokenLayout.initial(x))
    assert torch.allclose(out, local(x), atol=1e-5)
    tome.r = 3
    out, layout = tome(*tome(x, TokenLayout.initial(x)))
    assert out.shape == (2, 4, 17 - 6, 64)
    assert layout.source.shape == (2, 4, 16)


def test_block_loop_with_global_uniblocks():
    """ToMe in every block: tokens shrink by r per block, the layout is
    carried, the global UniBlocks read the reduced blocks (no grid)."""
    model = InTIViT(
        arch='tiny',
        img_size=32,
        patch_size=8,
        num_frames=4,
        compressor=None,
        layer_cfgs=dict(type='ToMeLayer', r=2),
        global_uniblocks=dict(num_layers=2))
    x, feats, is_grid = model.forward_blocks(
        model.embed(torch.randn(2, 3, 4, 32, 32)))
    assert [f.shape[2] for f in feats] == [17 - 2 * 3, 17 - 2 * 4]
    assert is_grid == [False, False]
    model.forward(torch.randn(2, 3, 4, 32, 32)).sum().backward()
    plain = InTIViT(
        arch='tiny',
        img_size=32,
        patch_size=8,
        num_frames=4,
        compressor=None,
        layer_cfgs=dict(type='ToMeLayer', r=0),
        global_uniblocks=dict(num_layers=2))
    assert plain.forward_blocks(plain.embed(torch.randn(
        1, 3, 4, 32, 32)))[2] == [True, True]


def test_bad_r():
    with pytest.raises(ValueError, match='r'):
        ToMeLayer(r=-1, **KWARGS)
