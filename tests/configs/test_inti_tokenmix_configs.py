# Copyright (c) mmvidlm authors. All rights reserved.
"""InTI + Token Mixing (configs/inti_tokenmix): the cost against the
token-mixing encoder, token mixing on the compressed frames, what trains,
and one training step of every config (tiny versions) on the synthetic
caption / retrieval videos."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.optim import OptimWrapper
from mmengine.runner import Runner

from mmvidlm.registry import MODELS
from mmvidlm.utils import register_all_modules
from tests.configs.test_model_index import load_tool
from tests.conftest import REPO_ROOT, SYNTHETIC_TEST_DATA

register_all_modules()
CONFIGS = sorted(
    osp.relpath(path, REPO_ROOT) for path in glob.glob(
        osp.join(REPO_ROOT, 'configs', 'inti_tokenmix', '*.py')))
DEMO = 'configs/demo/inti-tokenmix_blip-tiny_synthetic-caption.py'
TINY_DEMOS = dict(
    caption='configs/demo/tokenmix_blip-tiny_synthetic-caption.py',
    retrieval='configs/demo/tokenmix_blip-tiny_synthetic-retrieval.py')
#: One config per model: the others differ from it in the data only.
TRAINED = {
    'configs/inti_tokenmix/blip-b_msrvtt-caption.py':
    ('configs/inti_tokenmix/blip-b_msvd-caption.py',
     'configs/inti_tokenmix/blip-b_vatex-caption.py'),
    'configs/inti_tokenmix/blip-b_msrvtt-retrieval.py':
    ('configs/inti_tokenmix/blip-b_lsmdc-retrieval.py', ),
    'configs/inti_tokenmix/inti-only_blip-b_msrvtt-caption.py': (),
    'configs/inti_tokenmix/inti-only_blip-b_msrvtt-retrieval.py': (),
}
#: The ViT-B's 12 layers (InTI after blocks 5 and 9), 64 wide as the tiny
#: BLIP's text model expects.
TINY_B = dict(
    arch=dict(
        embed_dims=64, num_layers=12, num_heads=4, feedforward_channels=128),
    img_size=32,
    patch_size=8,
    init_cfg=None)


def load(config: str) -> Config:
    return Config.fromfile(osp.join(REPO_ROOT, config))


def test_the_folder_has_the_configs_of_the_issue():
    names = {osp.basename(c) for c in CONFIGS}
    assert {
        'blip-b_msrvtt-caption.py', 'blip-b_msvd-caption.py',
        'blip-b_vatex-caption.py', 'blip-b_msrvtt-retrieval.py',
        'blip-b_lsmdc-retrieval.py'
    } <= names


def test_one_trained_config_per_model():
    """Every config's model is that of a config trained below."""
    same_models = [c for same in TRAINED.values() for c in same]
    assert sorted(list(TRAINED) + same_models) == CONFIGS
    for trained, same in TRAINED.items():
        for config in same:
            assert load(config).model == load(trained).model, config


def test_gflops_ratio_to_the_token_mixing_encoder():
    """InTI after blocks 5 and 9 at 8 frames: <= 0.72x (about 0.65x) the
    multiply-adds of the token-mixing encoder, as get_flops.py counts."""
    zoo = load_tool('model_zoo_table')
    inti = zoo.measure(load('configs/inti_tokenmix/blip-b_msrvtt-caption.py'))
    tokenmix = zoo.measure(load('configs/tokenmix/blip-b_msrvtt-caption.py'))
    ratio = inti['FLOPs'] / tokenmix['FLOPs']
    assert 0.6 < ratio <= 0.72, ratio
    # the same encoder but for the InTI modules (1.2M parameters)
    assert 0 < inti['Parameters'] - tokenmix['Parameters'] < 1.5e6


def tiny_inti_tokenmix(**kwargs):
    """The tiny ViT (4 layers) in BLIP's layout, InTI after blocks 2 and 3
    (8 -> 4 -> 2 frames) and token mixing in the last layer."""
    cfg = load(DEMO).model.backbone.to_dict()
    cfg.update(kwargs)
    return MODELS.build(cfg)


def test_token_mixing_mosaic_follows_the_compressed_frames():
    """The last layer sees T' = 2 frames; its keys/values are the 2 [CLS]
    tokens and the mosaic whose patch p comes from frame p mod 2."""
    torch.manual_seed(0)
    model = tiny_inti_tokenmix().eval()
    attn = model.layers[-1].attn
    seen = {}
    attn.register_forward_hook(
        lambda m, args, out: seen.update(x=args[0], out=out))
    with torch.no_grad():
        model(torch.randn(2, 3, 8, 32, 32))
    x = seen['x']  # the normalised input of the token-mixing attention
    B, T, N, C = x.shape
    assert T == 2  # 8 frames halved twice before the last layer

    # hand-built key/value set: [CLS] of each frame, then the mosaic
    cls = [x[:, t, 0] for t in range(T)]
    mosaic = [x[:, (p - 1) % T, p] for p in range(1, N)]
    kv_tokens = torch.stack(cls + mosaic, dim=1)  # (B, T + S, C)
    assert {(p - 1) % T for p in range(1, N)} == {0, 1}
    H, D = attn.num_heads, C // attn.num_heads
    q, _, _ = torch.nn.functional.linear(x, attn.qkv.weight,
                                         attn.qkv.bias).chunk(
                                             3, dim=-1)
    _, k, v = torch.nn.functional.linear(kv_tokens, attn.qkv.weight,
                                         attn.qkv.bias).chunk(
                                             3, dim=-1)
    q = q.reshape(B, T * N, H, D).transpose(1, 2)
    k, v = (t.reshape(B, T + N - 1, H, D).transpose(1, 2) for t in (k, v))
    weights = (q @ k.transpose(-1, -2) / D**0.5).softmax(-1)
    expected = attn.proj((weights @ v).transpose(1, 2).reshape(B, T, N, C))
    torch.testing.assert_close(seen['out'], expected, atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize('config', CONFIGS)
def test_what_the_encoder_trains(config):
    """The InTI modules and the last layer (token-mixing, or plain in the
    InTI-only ablation); the rest of BLIP's ViT is frozen."""
    cfg = load(config).model.backbone.to_dict()
    assert cfg['num_frames'] == 8 and tuple(cfg['inti_layers']) == (5, 9)
    backbone = MODELS.build(dict(cfg, **TINY_B))
    trained = {n for n, p in backbone.named_parameters() if p.requires_grad}
    expected = {
        n
        for n, _ in backbone.named_parameters()
        if n.startswith(('between_blocks.', 'layers.11.'))
    }
    assert trained == expected
    assert {
        n.split('.')[1]
        for n in trained if n.startswith('between_blocks')
    } == {'5', '9'}
    last = type(backbone.layers[-1]).__name__
    assert last == ('VideoTransformerLayer'
                    if 'inti-only' in config else 'TokenMixLayer')


def synthetic_batch(config: str, data_root: str) -> dict:
    """One batch of 4 synthetic training videos of the config's loader."""
    cfg = load(config)
    loader = cfg.train_dataloader
    data = SYNTHETIC_TEST_DATA
    loader.dataset.update(
        data_root=data_root,
        num_videos=data['num_videos'],
        **{key: data[key]
           for key in ('num_frames', 'frame_size', 'seed')})
    loader.batch_size = 4
    return next(iter(Runner.build_dataloader(loader)))


@pytest.mark.parametrize('config', sorted(TRAINED) + [DEMO])
def test_config_trains_one_step(config, synthetic_data_root):
    """The config's encoder (12 layers, 64 wide, its InTI and token mixing
    and trainable settings) in the tiny BLIP of its task, with the model's
    own trainable groups, takes a step on the synthetic videos: the loss is
    finite, the trained parameters move and the frozen ones stay."""
    cfg = load(config)
    if config == DEMO:
        model_cfg, data_config = cfg.model.to_dict(), DEMO
    else:
        task = 'caption' if config.endswith('caption.py') else 'retrieval'
        data_config = TINY_DEMOS[task]
        model_cfg = load(data_config).model.to_dict()
        model_cfg.update(
            backbone=dict(cfg.model.backbone.to_dict(), **TINY_B),
            trainable=cfg.model.trainable)
    torch.manual_seed(0)
    model = MODELS.build(model_cfg)
    model.train()
    params = dict(model.named_parameters())
    trained = {n for n, p in params.items() if p.requires_grad}
    before = {n: p.detach().clone() for n, p in params.items()}
    optim = OptimWrapper(
        torch.optim.SGD([params[n] for n in sorted(trained)], lr=0.5))
    log = model.train_step(
        synthetic_batch(data_config, synthetic_data_root), optim)
    assert all(torch.isfinite(v).all() for v in log.values())
    moved = {
        n
        for n, p in params.items() if not torch.equal(p.detach(), before[n])
    }
    assert moved <= trained
    # the compressors and the last layer learn (both InTI modules get
    # gradients through the frames they fuse)
    for part in ('backbone.between_blocks.', 'backbone.layers.'):
        assert any(n.startswith(part) for n in moved), part
