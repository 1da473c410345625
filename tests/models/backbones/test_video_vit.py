# Copyright (c) mmvidlm authors. All rights reserved.
import pytest
import torch
import torch.nn as nn
from mmpretrain.models.backbones import VisionTransformer
from mmpretrain.models.utils import resize_pos_embed

from mmvidlm.models import VideoViT
from mmvidlm.models.layers import VideoTransformerLayer
from mmvidlm.models.utils import trainable_groups
from mmvidlm.registry import MODELS

ARCH = dict(embed_dims=32, num_layers=3, num_heads=4, feedforward_channels=64)


def tiny_vit(**kwargs) -> VideoViT:
    cfg = dict(arch=ARCH, img_size=32, patch_size=8, num_frames=4)
    cfg.update(kwargs)
    model = VideoViT(**cfg)
    model.init_weights()
    return model.eval()


@MODELS.register_module(force=True)
class CallRecorder(nn.Module):
    """Test module: appends its name to ``CallRecorder.calls`` when called.

    (Configs are deep-copied when built, hence a class-level record.)
    """
    calls = []

    def __init__(self, name: str, **kwargs):
        super().__init__()
        self.name, self.kwargs = name, kwargs

    def forward(self, x):
        self.calls.append(self.name)
        return x


@pytest.fixture
def calls():
    CallRecorder.calls.clear()
    return CallRecorder.calls


def test_equals_mmpretrain_vit_per_frame():
    torch.manual_seed(0)
    video_vit = tiny_vit(out_type='cls')
    image_vit = VisionTransformer(
        arch=ARCH,
        img_size=32,
        patch_size=8,
        norm_cfg=dict(type='LN', eps=1e-5),
        layer_cfgs=dict(act_cfg=dict(type='mmpretrain.QuickGELU')),
        pre_norm=True,
        out_type='cls_token')
    image_vit.eval()
    # Same parameter names: an image checkpoint loads without conversion.
    image_vit.load_state_dict(video_vit.state_dict(), strict=True)
    x = torch.randn(2, 3, 4, 32, 32)  # (B, C, T, H, W)
    frames = x.transpose(1, 2).flatten(0, 1)  # (B*T, C, H, W)
    with torch.no_grad():
        expected = image_vit(frames)[-1].unflatten(0, (2, 4))
        torch.testing.assert_close(video_vit(x), expected)


@pytest.mark.parametrize('out_type,shape', [('cls_mean', (2, 32)),
                                            ('cls', (2, 4, 32)),
                                            ('raw', (2, 4, 17, 32))])
def test_out_types(out_type, shape):
    model = tiny_vit(out_type=out_type)
    assert model(torch.randn(2, 3, 4, 32, 32)).shape == shape


def test_arch_and_out_type_errors():
    assert tiny_vit(arch='tiny').embed_dims == 64
    with pytest.raises(ValueError, match='Unknown arch'):
        VideoViT(arch='xxl')
    with pytest.raises(ValueError, match='out_type'):
        VideoViT(arch=ARCH, out_type='mean')


def test_layer_cfgs_type_override(calls):
    model = tiny_vit(
        layer_cfgs=dict(type='CallRecorder', name='layer2', layers=[1]))
    assert type(model.layers[0]).__name__ == 'VideoTransformerLayer'
    assert isinstance(model.layers[1], CallRecorder)
    # Every layer config gets the ViT's sizes, whatever its type.
    assert model.layers[1].kwargs['embed_dims'] == 32
    model(torch.randn(1, 3, 4, 32, 32))
    assert calls == ['layer2']
    with pytest.raises(ValueError, match='3 layers, indexed 0..2'):
        tiny_vit(layer_cfgs=[dict(), dict(type='CallRecorder', layers=[3])])
    # later overrides win, an override without `layers` is for all layers
    model = tiny_vit(layer_cfgs=[
        dict(type='CallRecorder', name='all'),
        dict(name='last', layers=[-1])
    ])
    assert [layer.name for layer in model.layers] == \
        ['all', 'all', 'last']


def test_between_block_cfgs_after_block_k(calls):
    model = tiny_vit(between_block_cfgs={
        2: dict(type='CallRecorder', name='after block 2')
    })
    for i, layer in enumerate(model.layers):
        layer.register_forward_hook(
            lambda *_, i=i: calls.append(f'block {i + 1}'))
    model(torch.randn(1, 3, 4, 32, 32))
    assert calls == ['block 1', 'block 2', 'after block 2', 'block 3']
    for block in (0, 3):
        with pytest.raises(ValueError, match='after blocks 1..2'):
            tiny_vit(between_block_cfgs={
                block: dict(type='CallRecorder', name='x')
            })


def test_pos_embed_resized_on_load():
    small = tiny_vit()
    large = tiny_vit(img_size=48)
    large.load_state_dict(small.state_dict())
    expected = resize_pos_embed(small.pos_embed, (4, 4), (6, 6), 'bicubic', 1)
    torch.testing.assert_close(large.pos_embed.data, expected)
    assert large(torch.randn(1, 3, 4, 48, 48)).shape == (1, 32)


def test_with_cp_same_gradients():
    torch.manual_seed(0)
    plain = tiny_vit().train()
    checkpointed = tiny_vit(with_cp=True).train()
    checkpointed.load_state_dict(plain.state_dict())
    x = torch.randn(2, 3, 4, 32, 32)
    for model in (plain, checkpointed):
        model(x).square().sum().backward()
    for (name, p), q in zip(plain.named_parameters(),
                            checkpointed.parameters()):
        torch.testing.assert_close(p.grad, q.grad, msg=name)


def test_custom_init_survives_a_backbone_init_cfg():
    """Identity / zero starts are set in ``init_weights`` after the generic
    initialisation, so a backbone-level ``init_cfg`` keeps them."""
    torch.manual_seed(0)
    model = tiny_vit(
        arch='tiny',
        num_frames=8,
        layer_cfgs=[
            dict(type='AdapterLayer', bottleneck=8, layers=[0]),
            dict(type='STAdapterLayer', adapter_channels=8, layers=[1]),
            dict(type='LocalMHRALayer', layers=[2, 3]),
        ],
        between_block_cfgs={
            1:
            dict(type='ConvPooling', embed_dims=64, num_frames=8),
            2:
            dict(
                type='InterFrameTokenInterpolation',
                embed_dims=64,
                num_frames=4)
        },
        global_uniblocks=dict(num_layers=2),
        init_cfg=[
            dict(type='TruncNormal', layer='Linear', std=0.02),
            dict(type='Constant', layer=['Conv1d', 'Conv3d'], val=0.5),
            dict(type='Constant', layer='LayerNorm', val=1., bias=0.5)
        ])
    adapter = model.layers[0]
    x = torch.randn(2, 8, 17, 64)
    for branch in (adapter.attn_adapter, adapter.ffn_adapter):
        assert branch.down.weight.std().item() == pytest.approx(0.02, rel=0.2)
        torch.testing.assert_close(branch(x), x)  # identity
    torch.testing.assert_close(model.layers[1].st_adapter(x), x)
    for layer in model.layers[2:]:
        for lmhra in (layer.lmhra1, layer.lmhra2):
            assert not lmhra.pos_embed[3].weight.any()
    conv = model.between_blocks['1']
    pairs = conv(x)
    torch.testing.assert_close(pairs, (x[:, ::2] + x[:, 1::2]) / 2)
    inti = model.between_blocks['2']
    assert not inti.temporal_embed.scale.any()
    assert inti.temporal_embed.embed.any()
    uniblocks = model.global_uniblocks
    for dec in uniblocks.dec:
        assert not dec.attn.out_proj.weight.any()
        assert not dec.mlp[-1].weight.any()
    assert not uniblocks.balance.any()
    # ... and the generic initialisation did run on the rest
    assert model.layers[2].attn.qkv.weight.std().item() == pytest.approx(
        0.02, rel=0.2)


@MODELS.register_module(force=True)
class ToyShiftLayer(VideoTransformerLayer):
    """A whole new method in one layer file: a zero-gated shift of the
    tokens from the previous frame before the layer."""
    adapters = ('gate', )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.gate = nn.Parameter(torch.zeros(self.embed_dims))

    def forward(self, x):
        previous = torch.cat([x[:, :1], x[:, :-1]], dim=1)
        return super().forward(x + self.gate * (previous - x))


def test_a_new_method_is_a_layer_type():
    torch.manual_seed(0)
    plain = tiny_vit()
    model = tiny_vit(
        layer_cfgs=dict(type='ToyShiftLayer', layers=[-1]),
        trainable=['adapters'])
    assert isinstance(model.layers[2], ToyShiftLayer)
    # image weights load; the method starts as the image model
    missing, _ = model.load_state_dict(plain.state_dict(), strict=False)
    assert missing == ['layers.2.gate']
    x = torch.randn(2, 3, 4, 32, 32)
    torch.testing.assert_close(model(x), plain(x))
    # what trains is read from the built model
    assert trainable_groups(model) == {':adapters': ['layers.2.gate']}
    whole = tiny_vit(
        layer_cfgs=dict(type='ToyShiftLayer', layers=[-1]),
        trainable=['ToyShiftLayer'])
    assert all(
        n.startswith('layers.2.')
        for n in trainable_groups(whole)[':ToyShiftLayer'])
