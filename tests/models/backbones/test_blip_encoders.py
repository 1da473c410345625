# Copyright (c) mmvidlm authors. All rights reserved.
"""Every encoder of the Token Mixing benchmark, built from its config: what
it trains is read from the built model (no optimizer)."""
import os.path as osp
import re

import pytest
import torch
import torch.nn as nn
from mmengine.config import Config

from mmvidlm.models import VideoViT
from mmvidlm.models.layers import TokenMixAttention
from mmvidlm.models.utils import trainable_groups
from mmvidlm.registry import MODELS
from mmvidlm.utils import register_all_modules

register_all_modules()

ENCODERS = osp.join(
    osp.dirname(__file__), '..', '..', '..', 'configs', '_base_', 'models',
    'blip_encoders')
# 12 layers, so that the configs' layer indices hold; tiny otherwise.
TINY_B = dict(
    arch=dict(
        embed_dims=32, num_layers=12, num_heads=2, feedforward_channels=64),
    img_size=32,
    patch_size=8,
    num_frames=4)
SMALL_LAYERS = {
    'adapter': dict(bottleneck=8),
    'houlsby_adapter': dict(bottleneck=8),
    'st_adapter': dict(adapter_channels=8),
    'st_adapter_depthwise': dict(adapter_channels=8)
}
#: What each encoder trains, as parameter-name patterns of a 12-layer ViT.
EXPECTED = {
    'plain': r'layers\.11\.',
    # and the linear projection (LP): what lies outside the blocks
    'tokenmix': r'(layers\.11\.|patch_embed\.|pos_embed|cls_token|ln1\.)',
    'vivit': r'.',
    'temporal_ft': r'temporal_(layers|pos_embed|ln)',
    'dual_attention':
    r'layers\.\d+\.(temporal_attn\.|alpha$|temporal_pos_embed$)',
    'adapter': r'layers\.\d+\.attn_adapter\.',
    'houlsby_adapter': r'layers\.\d+\.(attn_adapter|ffn_adapter|ln1|ln2)\.',
    'st_adapter': r'layers\.\d+\.st_adapter\.',
    'st_adapter_depthwise': r'layers\.\d+\.st_adapter\.',
    'bitfit': r'.*bias$',
}

#: The groups of each encoder's spec, as ``trainable_groups`` names them.
GROUPS = {
    'plain': ['backbone:layers.-1'],
    'tokenmix': ['backbone:TokenMixLayer', 'backbone:lp'],
    'vivit': ['backbone'],
    'temporal_ft': ['backbone:temporal'],
    'dual_attention': ['backbone:adapters'],
    'adapter': ['backbone:adapters'],
    'houlsby_adapter':
    ['backbone:adapters', 'backbone:layers.ln1', 'backbone:layers.ln2'],
    'st_adapter': ['backbone:adapters'],
    'st_adapter_depthwise': ['backbone:adapters'],
    'bitfit': ['backbone:bias'],
}

#: The encoder's linear projection (its 'lp' group: what lies outside the
#: blocks), which the Token Mixing reference trains with every baseline but
#: BitFit (and ViViT, which trains everything).
LP = r'(patch_embed\.|pos_embed|cls_token|ln1\.)'
WITH_LP = ('plain', 'temporal_ft', 'dual_attention', 'adapter',
           'houlsby_adapter', 'st_adapter', 'st_adapter_depthwise')


def build_encoder(name: str):
    """The encoder of ``blip_encoders/{name}_vit-b16.py``, tiny, frozen as
    its config says."""
    cfg = Config.fromfile(osp.join(ENCODERS, f'{name}_vit-b16.py'))
    backbone = cfg.model.backbone
    backbone.update(TINY_B)
    if name in SMALL_LAYERS:
        backbone.layer_cfgs.update(SMALL_LAYERS[name])
    return nn.ModuleDict(dict(backbone=MODELS.build(backbone)))


@pytest.mark.parametrize('name', sorted(EXPECTED))
def test_encoder_trains_only_what_its_config_says(name):
    torch.manual_seed(0)
    model = build_encoder(name)
    assert 'optim_wrapper' not in Config.fromfile(
        osp.join(ENCODERS, f'{name}_vit-b16.py'))
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    expected = {
        n
        for n, _ in model.named_parameters()
        if re.match(r'backbone\.' + EXPECTED[name], n) or (
            name in WITH_LP and re.match(r'backbone\.' + LP, n))
    }
    assert trainable == expected and trainable

    out = model.backbone(torch.randn(2, 3, 4, 32, 32))
    assert out.shape == (2, 4, 17, 32)
    out.square().mean().backward()
    with_grad = {n for n, p in model.named_parameters() if p.grad is not None}
    assert with_grad == trainable
    groups = trainable_groups(model)
    assert sorted(groups) == sorted(GROUPS[name] + ['backbone:lp'] *
                                    (name in WITH_LP))
    assert {n for names in groups.values() for n in names} == trainable


@pytest.mark.parametrize('name', [
    'adapter', 'houlsby_adapter', 'st_adapter', 'st_adapter_depthwise',
    'dual_attention'
])
def test_added_modules_start_as_the_image_model(name):
    """Adapters start as the identity and the dual attention at alpha=1:
    with image weights loaded, the encoder computes the image model."""
    torch.manual_seed(0)
    model = build_encoder(name)
    image = VideoViT(
        **TINY_B,
        pre_norm=False,
        act_cfg=dict(type='GELU'),
        norm_cfg=dict(type='LN', eps=1e-6),
        out_type='raw')
    image.init_weights()
    model.backbone.load_state_dict(image.state_dict(), strict=False)
    x = torch.randn(1, 3, 4, 32, 32)
    torch.testing.assert_close(model.backbone(x), image(x))


@pytest.mark.parametrize('name', ['temporal_ft', 'vivit'])
def test_temporal_blocks_start_from_the_first_spatial_layers(name):
    """As the Token Mixing reference (models/blip.py, load_checkpoint):
    temporal block i is a copy of ViT block i."""
    model = build_encoder(name)
    backbone = model.backbone
    image = VideoViT(**TINY_B, pre_norm=False)
    image.init_weights()
    missing, _ = backbone.load_state_dict(image.state_dict(), strict=False)
    assert missing == []
    state = backbone.state_dict()
    for i in range(4):
        for key, value in image.layers[i].state_dict().items():
            torch.testing.assert_close(state[f'temporal_layers.{i}.{key}'],
                                       value)
    torch.testing.assert_close(state['temporal_ln.weight'],
                               image.state_dict()['ln1.weight'])
    # a checkpoint that has the temporal blocks keeps them
    state['temporal_layers.0.ln1.weight'] += 1
    backbone.load_state_dict(state)
    torch.testing.assert_close(backbone.temporal_layers[0].ln1.weight,
                               state['temporal_layers.0.ln1.weight'])


def test_dual_attention_starts_from_the_spatial_attention():
    model = build_encoder('dual_attention')
    image = VideoViT(**TINY_B, pre_norm=False)
    image.init_weights()
    missing, _ = model.backbone.load_state_dict(
        image.state_dict(), strict=False)
    assert missing == []
    layer = model.backbone.layers[5]
    torch.testing.assert_close(layer.temporal_attn.qkv.weight,
                               image.layers[5].attn.qkv.weight)


def test_token_mixing_composes_with_temporal_blocks_and_adapters():
    model = MODELS.build(
        dict(
            type='VideoViT',
            **TINY_B,
            temporal_layers=2,
            layer_cfgs=[
                dict(type='AdapterLayer', bottleneck=8),
                dict(
                    layers=[-1],
                    attn_cfg=dict(
                        type='TokenMixAttention', other_frame_scale=0.8))
            ],
            out_type='cls_mean'))
    assert isinstance(model.layers[11].attn, TokenMixAttention)
    assert model.layers[11].attn.other_frame_scale == 0.8
    assert model.layers[11].attn_adapter
    assert not isinstance(model.layers[10].attn, TokenMixAttention)
    assert model(torch.randn(2, 3, 4, 32, 32)).shape == (2, 32)


def test_temporal_blocks_check_the_number_of_frames():
    model = MODELS.build(dict(type='VideoViT', **TINY_B, temporal_layers=1))
    with pytest.raises(ValueError, match='num_frames=4, got clips of 8'):
        model(torch.randn(1, 3, 8, 32, 32))


@pytest.mark.parametrize('init_layers, first', [
    (None, 8),
    ([-4, -3, -2, -1], 8),
    ([2, 3, 4, 5], 2),
])
def test_temporal_init_layers_choose_the_source_layers(init_layers, first):
    model = MODELS.build(
        dict(
            type='VideoViT',
            **TINY_B,
            temporal_layers=4,
            temporal_init_layers=init_layers))
    image = VideoViT(**TINY_B)
    image.init_weights()
    model.load_state_dict(image.state_dict(), strict=False)
    for i in range(4):
        torch.testing.assert_close(model.temporal_layers[i].attn.qkv.weight,
                                   image.layers[first + i].attn.qkv.weight)


@pytest.mark.parametrize('init_layers, match', [
    ([0, 1, 2], 'one spatial layer per temporal block'),
    ([0, 1, 2, 12], r'indexed 0\.\.11'),
])
def test_temporal_init_layers_are_checked(init_layers, match):
    with pytest.raises(ValueError, match=match):
        MODELS.build(
            dict(
                type='VideoViT',
                **TINY_B,
                temporal_layers=4,
                temporal_init_layers=init_layers))
