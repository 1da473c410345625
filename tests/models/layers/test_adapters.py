# Copyright (c) mmvidlm authors. All rights reserved.
"""The adapter layers against hand computations: Houlsby's placement and
the Token Mixing reference's (models/vit.py `AdapterBlock`, `STAdapter`)."""
import pytest
import torch

from mmvidlm.models.layers import AdapterLayer, STAdapterLayer

LAYER = dict(embed_dims=16, num_heads=2, feedforward_channels=32)


def randomise(module: torch.nn.Module) -> None:
    """Random weights everywhere (the adapters start as the identity)."""
    torch.manual_seed(0)
    for p in module.parameters():
        torch.nn.init.normal_(p, std=0.2)


def test_input_adapter_is_the_reference_adapter_block():
    """x = x + a(x); x = x + attn(ln1(x)); x = x + b(x); x + ffn(ln2(x)),
    with a(x) = up(hidden(sigmoid(down(x))))."""
    layer = AdapterLayer(
        bottleneck=4,
        act_cfg=dict(type='Sigmoid'),
        num_hidden=1,
        placement='input',
        **LAYER)
    randomise(layer)
    x = torch.randn(2, 3, 5, 16)

    def adapter(a, x):
        return a.up(a.hidden[0](torch.sigmoid(a.down(x))))

    y = x + adapter(layer.attn_adapter, x)
    y = y + layer.attend(layer.ln1(y))
    y = y + adapter(layer.ffn_adapter, y)
    y = y + layer.ffn(layer.ln2(y), identity=0.)
    torch.testing.assert_close(layer(x), y)


def test_output_adapter_is_houlsby():
    layer = AdapterLayer(bottleneck=4, **LAYER)
    randomise(layer)
    x = torch.randn(2, 3, 5, 16)

    def adapter(a, h):
        return h + a.up(torch.nn.functional.gelu(a.down(h)))

    y = x + adapter(layer.attn_adapter, layer.attend(layer.ln1(x)))
    y = y + adapter(layer.ffn_adapter, layer.ffn(layer.ln2(y), identity=0.))
    torch.testing.assert_close(layer(x), y)


def test_one_adapter_per_layer():
    layer = AdapterLayer(bottleneck=4, sublayers=['attn'], **LAYER)
    assert layer.ffn_adapter is None and layer.attn_adapter is not None
    with pytest.raises(ValueError, match='sublayers'):
        AdapterLayer(sublayers=['mlp'], **LAYER)
    with pytest.raises(ValueError, match='placement'):
        AdapterLayer(placement='before', **LAYER)


@pytest.mark.parametrize('project_cls', [False, True])
def test_st_adapter_cls_tokens(project_cls):
    """The patch tokens go through down, the 3D convolution and up; the
    [CLS] tokens pass unchanged, or (the reference) through down and up."""
    layer = STAdapterLayer(
        adapter_channels=4,
        kernel_size=(3, 3, 3),
        depthwise=False,
        project_cls=project_cls,
        **LAYER)
    randomise(layer)
    adapter = layer.st_adapter
    x = torch.randn(2, 4, 1 + 9, 16)  # 4 frames of 3x3 patches
    out = adapter(x)
    cls = x[:, :, :1]
    if project_cls:
        cls = cls + adapter.up(adapter.down(cls))
    torch.testing.assert_close(out[:, :, :1], cls)
    # patches: (B, T, 3*3, Ca) -> (B, Ca, T, 3, 3)
    grid = adapter.down(x[:, :, 1:]).unflatten(2,
                                               (3, 3)).permute(0, 4, 1, 2, 3)
    conv = adapter.conv(grid).permute(0, 2, 3, 4, 1).flatten(2, 3)
    torch.testing.assert_close(out[:, :, 1:], x[:, :, 1:] + adapter.up(conv))
    assert adapter.conv.groups == 1
