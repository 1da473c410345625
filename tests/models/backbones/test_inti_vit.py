# Copyright (c) mmvidlm authors. All rights reserved.
import pytest
import torch

from mmvidlm.models.backbones import InTIViT, VideoViT
from mmvidlm.models.layers import VideoTransformerLayer
from mmvidlm.models.layers.uniformerv2_blocks import LocalMHRALayer

TINY = dict(arch='tiny', img_size=32, patch_size=8, num_frames=8)


def clips(T=8, B=2):
    torch.manual_seed(0)
    return torch.randn(B, 3, T, 32, 32)


def test_default_insertion_points():
    assert InTIViT.default_inti_layers['b'] == (5, 9)
    assert InTIViT.default_inti_layers['l'] == (10, 16)
    model = InTIViT(**TINY)
    assert model.inti_layers == (2, 3)
    assert list(model.between_blocks) == ['2', '3']


def test_frames_halve_at_every_insertion():
    model = InTIViT(**TINY, inti_layers=(1, 2, 3), out_type='raw')
    seen = []
    for module in model.between_blocks.values():
        module.register_forward_hook(lambda m, args, out: seen.append(
            (args[0].shape[1], out.shape[1])))
    assert model(clips()).shape == (2, 1, 17, 64)
    assert seen == [(8, 4), (4, 2), (2, 1)]
    # Each InTI's temporal embedding is made for the frames it receives.
    assert [
        m.temporal_embed.embed.shape[1] for m in model.between_blocks.values()
    ] == [8, 4, 2]


def test_no_insertion_equals_the_naive_vit():
    naive = VideoViT(**TINY).eval()
    model = InTIViT(**TINY, inti_layers=()).eval()
    assert not model.between_blocks
    model.load_state_dict(naive.state_dict())
    x = clips()
    assert torch.equal(model(x), naive(x))
    assert not InTIViT(**TINY, compressor=None).between_blocks


def test_static_clip_gives_the_naive_features_at_init():
    """Zero-initialised temporal embedding + weights summing to one: on a
    clip whose frames are equal, InTI changes nothing at initialisation."""
    naive = VideoViT(**TINY).eval()
    model = InTIViT(**TINY).eval()
    model.load_state_dict(naive.state_dict(), strict=False)
    static = clips(T=1).expand(-1, -1, 8, -1, -1)
    assert torch.allclose(model(static), naive(static), atol=1e-5)


def test_user_errors():
    with pytest.raises(
            ValueError,
            match='InTI at 2 layers halves T twice: num_frames must be '
            'divisible by 4, got 6'):
        InTIViT(**dict(TINY, num_frames=6))
    with pytest.raises(ValueError, match=r'must be in 1\.\.3 .* got 4'):
        InTIViT(**TINY, inti_layers=(2, 4))
    with pytest.raises(ValueError, match='strictly increasing'):
        InTIViT(**TINY, inti_layers=(3, 2))
    with pytest.raises(ValueError, match='strictly increasing'):
        InTIViT(**TINY, inti_layers=(2, 2))
    with pytest.raises(
            ValueError,
            match='LinearPooling at 3 layers halves '
            'T 3 times: .* by 8, got 4'):
        InTIViT(
            **dict(TINY, num_frames=4),
            inti_layers=(1, 2, 3),
            compressor=dict(type='LinearPooling'))
    with pytest.raises(ValueError, match='custom arch needs explicit'):
        InTIViT(
            arch=dict(
                embed_dims=32,
                num_layers=2,
                num_heads=2,
                feedforward_channels=64))


@pytest.mark.parametrize('compressor,shape', [
    (dict(type='LinearPooling'), (2, 2, 17, 64)),
    (dict(type='ConvPooling'), (2, 2, 17, 64)),
    (dict(type='TokenMerging', keep_ratio=0.5), (2, 8, 1 + 4, 64)),
    (dict(type='TemporalAccumulationPruning', keep_ratio=0.5),
     (2, 8, 1 + 4, 64)),
])
def test_baselines_in_the_same_backbone(compressor, shape):
    model = InTIViT(**TINY, compressor=compressor, out_type='raw')
    out = model(clips())
    assert out.shape == shape
    out.sum().backward()


def test_token_reducers_do_not_need_even_frames():
    model = InTIViT(
        **dict(TINY, num_frames=6),
        out_type='raw',
        compressor=dict(type='TokenMerging', keep_ratio=0.5))
    assert model(clips(T=6)).shape == (2, 6, 5, 64)


def test_local_mhra_layer_equals_the_image_layer_at_init():
    kwargs = dict(embed_dims=64, num_heads=4, feedforward_channels=128)
    image = VideoTransformerLayer(**kwargs).eval()
    local = LocalMHRALayer(**kwargs).eval()
    local.load_state_dict(image.state_dict(), strict=False)
    x = torch.randn(2, 4, 17, 64)
    assert torch.allclose(local(x), image(x), atol=1e-6)


@pytest.mark.parametrize(
    'compressor,layer',
    [
        (dict(type='InterFrameTokenInterpolation'), 'LocalMHRALayer'),
        # The global blocks skip their DPE once ToMe broke the patch grid.
        (dict(type='TokenMerging', keep_ratio=0.5), 'VideoTransformerLayer'),
    ])
def test_with_uniformerv2_modules(compressor, layer):
    model = InTIViT(
        **TINY,
        compressor=compressor,
        layer_cfgs=dict(type=layer),
        global_uniblocks=dict(num_layers=3))
    out = model(clips())
    assert out.shape == (2, 64)
    out.sum().backward()
    assert model.global_uniblocks.balance.grad is not None
    with pytest.raises(ValueError, match="out_type='cls_mean'"):
        InTIViT(**TINY, out_type='cls', global_uniblocks=dict())


def test_global_uniblocks_fuse_the_pre_norm_frame_cls():
    """As MMAction2's UniFormerV2 (``residual``): the frames' [CLS] branch
    is the last block's output before any final norm, which is not built."""
    model = InTIViT(**TINY, global_uniblocks=dict(num_layers=2)).eval()
    assert not hasattr(model, 'ln1')
    with torch.no_grad():
        model.global_uniblocks.balance.fill_(100.)  # the [CLS] branch only
        x = model.embed(clips())
        for i, layer in enumerate(model.layers, 1):  # InTI after 2 and 3
            x = layer(x)
            if str(i) in model.between_blocks:
                x = model.between_blocks[str(i)](x)
        expected = model.global_uniblocks.norm(x[:, :, 0].mean(dim=1))
        torch.testing.assert_close(model(clips()), expected)
    with pytest.raises(ValueError, match='exclude temporal_layers'):
        VideoViT(**TINY, temporal_layers=1, global_uniblocks=dict())
