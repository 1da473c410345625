# Copyright (c) mmvidlm authors. All rights reserved.
"""STA as its paper (issue 12, item 10): r tokens of every frame pruned at
three stages, redundant low-activation tokens first, never [CLS]."""
import pytest
import torch

from mmvidlm.models.backbones import VideoViT
from mmvidlm.models.layers import LocalMHRALayer, STALayer, TokenLayout
from mmvidlm.models.layers.sta_layer import sta_keep

STAGES = [
    dict(type='STALayer', r=3, layers=[0, 2]),
    dict(type='STALayer', r=3, reverse=True, layers=[1])
]


def test_prunes_r_per_frame_at_the_three_stages():
    model = VideoViT(
        arch='tiny',
        img_size=32,
        patch_size=8,
        num_frames=4,
        layer_cfgs=STAGES,
        out_type='raw').eval()
    assert [layer.reverse
            for layer in model.layers[:3]] == [False, True, False]
    assert type(model.layers[3]).__name__ == 'VideoTransformerLayer'
    x = model.embed(torch.randn(2, 3, 4, 32, 32))
    layout = TokenLayout.initial(x)
    counts = []
    for layer in model.layers[:3]:
        full, _ = _unpruned(layer, x, layout)
        x, layout = layer(x, layout)
        counts.append(x.shape[2])
        # [CLS] kept: the block's own output, first
        assert torch.equal(x[:, :, 0], full[:, :, 0])
        # the kept patch tokens are block outputs, one per kept position
        kept = layout.source >= 0
        assert (kept.sum(-1) == x.shape[2] - 1).all()
    assert counts == [17 - 3, 17 - 6, 17 - 9]
    assert model(torch.randn(2, 3, 4, 32, 32)).shape == (2, 4, 17 - 9, 64)


def _unpruned(layer, x, layout):
    r, layer.r = layer.r, 0
    out = layer(x, layout)
    layer.r = r
    return out


def keys(T, P, D=64):
    torch.manual_seed(0)
    return torch.randn(1, T, 1 + P, D)


@pytest.mark.parametrize('activation,pruned', [(0.1, True), (10., False)])
def test_prunes_redundant_low_activation_tokens(activation, pruned):
    """Patch 5 repeats the previous frame's patch 5 (the most redundant
    token): pruned if its activation is the lowest, kept if the highest."""
    T, P = 3, 8
    metric = keys(T, P)
    metric[:, 0, 2] = metric[:, 0, 1]  # frame 0 drops patch 1 (A, 0-based 0)
    metric[:, 1:, 6] = metric[:, :1, 6]
    x = torch.ones(1, T, 1 + P, 4)
    x[:, :, 6] = activation
    x[:, :, 3] = 0.5 if activation > 1 else 2.  # another extreme
    keep = sta_keep(x, metric, 1)
    assert keep.shape == (1, T, P - 1)
    assert 0 not in keep[0, 0].tolist()  # bipartite drop in frame 0
    for t in (1, 2):
        assert (5 not in keep[0, t].tolist()) == pruned


@pytest.mark.parametrize('reverse,frame', [(False, 0), (True, -1)])
def test_the_first_scored_frame_drops_by_bipartite_matching(reverse, frame):
    """The first frame of the order (the last with ``reverse``) drops the A
    patch whose best B match is the most similar."""
    metric = keys(3, 8)
    metric[:, frame, 5] = metric[:, frame, 4]  # A patch 4 ~ B patch 3
    keep = sta_keep(torch.randn(1, 3, 9, 4), metric, 1, reverse=reverse)
    assert 4 not in keep[0, frame].tolist()


def test_local_mhra_on_pruned_tokens():
    kwargs = dict(embed_dims=64, num_heads=4, feedforward_channels=128)
    local = LocalMHRALayer(**kwargs).eval()
    for lmhra in (local.lmhra1, local.lmhra2):
        torch.nn.init.normal_(lmhra.pos_embed[3].weight, std=0.1)
    sta = STALayer(r=0, dw_reduction=1.5, **kwargs).eval()
    sta.load_state_dict(local.state_dict())
    torch.manual_seed(0)
    x = torch.randn(2, 4, 17, 64)
    out, _ = sta(x, TokenLayout.initial(x))
    assert torch.allclose(out, local(x), atol=1e-5)
    sta.r = 4
    out, layout = sta(*sta(x, TokenLayout.initial(x)))
    assert out.shape == (2, 4, 17 - 8, 64)
    assert ((layout.source >= 0).sum(-1) == 8).all()
