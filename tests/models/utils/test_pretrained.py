# Copyright (c) mmvidlm authors. All rights reserved.
"""``init_cfg=dict(type='Pretrained', checkpoint=URL)`` through a local
HTTP server on 127.0.0.1, with OpenAI's TorchScript archive format."""
import hashlib
import http.server
import os.path as osp
import threading
import warnings
from contextlib import contextmanager
from functools import partial

import pytest
import torch
from mmengine.config import Config

from mmvidlm.models.utils import convert_state_dict, load_weights
from mmvidlm.registry import MODELS
from mmvidlm.utils import register_all_modules

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.dirname(__file__))))
DEMO_CONFIG = osp.join(REPO_ROOT, 'configs', 'demo',
                       'naive_vit-tiny_synthetic-motion.py')


class _QuietHandler(http.server.SimpleHTTPRequestHandler):

    def log_message(self, *args):
        pass


@contextmanager
def serve(root: str):
    """Serve ``root`` on 127.0.0.1 (ephemeral port); yields the base URL."""
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0),
                                             partial(_QuietHandler,
                                                     directory=root))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f'http://127.0.0.1:{server.server_address[1]}'
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def save_torchscript(model, path):
    """Save ``model`` as OpenAI publishes CLIP: a TorchScript archive."""
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        traced = torch.jit.trace(model, torch.randn(1, 3, 32, 32))
        torch.jit.save(traced, path)


@pytest.fixture
def tiny_clip(make_openai_clip):
    """The OpenAI CLIP of the 'tiny' VideoViT: 4 layers of width 64."""
    return make_openai_clip(layers=4)


@pytest.mark.filterwarnings('ignore:.*TorchScript archive')
def test_torchscript_archive_is_read_as_state_dict(tmp_path, openai_clip):
    path = str(tmp_path / 'ViT-T.pt')
    save_torchscript(openai_clip, path)
    with pytest.raises(RuntimeError, match='TorchScript'):
        torch.load(path, weights_only=True)
    state_dict = load_weights(path)
    for key, value in openai_clip.state_dict().items():
        torch.testing.assert_close(state_dict[key], value)


def test_config_init_cfg_loads_from_url(tmp_path, monkeypatch, tiny_clip):
    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'torch_home'))
    served = tmp_path / 'served'
    archive = served / 'ViT-T.pt'
    served.mkdir()
    save_torchscript(tiny_clip, str(archive))
    # OpenAI's URLs name the file's SHA-256 in a folder; it is verified.
    sha256 = hashlib.sha256(archive.read_bytes()).hexdigest()
    (served / sha256).mkdir()
    archive.rename(served / sha256 / 'ViT-T.pt')

    register_all_modules()
    cfg = Config.fromfile(DEMO_CONFIG)
    x = torch.randn(2, 3, 8, 32, 32)
    with serve(str(served)) as base_url:
        cfg.model.backbone.init_cfg = dict(
            type='Pretrained', checkpoint=f'{base_url}/{sha256}/ViT-T.pt')
        model = MODELS.build(cfg.model).eval()
        model.init_weights()
    assert osp.isfile(osp.join(torch.hub.get_dir(), 'checkpoints', 'ViT-T.pt'))

    backbone = model.backbone
    backbone.out_type = 'raw'
    with torch.no_grad():
        tokens, _ = tiny_clip.visual(x.transpose(1, 2).flatten(0, 1))
        out = backbone(x).flatten(0, 1)
    torch.testing.assert_close(out, tokens, atol=1e-5, rtol=1e-5)

    # The server is gone: the cached file serves the next build.
    model = MODELS.build(cfg.model)
    model.init_weights()
    torch.testing.assert_close(model.backbone.cls_token.flatten(),
                               tiny_clip.visual.class_embedding)


def test_url_with_wrong_sha256_is_refused(tmp_path, monkeypatch, openai_clip):
    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'torch_home'))
    wrong = '0' * 64
    (tmp_path / wrong).mkdir()
    torch.save(openai_clip.state_dict(), str(tmp_path / wrong / 'ViT-W.pt'))
    with serve(str(tmp_path)) as base_url:
        with pytest.raises(RuntimeError, match='(?i)hash'):
            load_weights(f'{base_url}/{wrong}/ViT-W.pt')
    assert not osp.exists(
        osp.join(torch.hub.get_dir(), 'checkpoints', 'ViT-W.pt'))


def test_inti_modules_keep_their_init(tmp_path, tiny_clip):
    """Loading CLIP into InTIViT leaves InTI's modules as their own init
    made them (e.g. the zero-initialised temporal-embedding scale)."""
    register_all_modules()
    backbone = Config.fromfile(
        osp.join(REPO_ROOT, 'configs', 'demo',
                 'inti_vit-tiny_synthetic-motion.py')).model.backbone
    path = str(tmp_path / 'clip.pth')
    torch.save(tiny_clip.state_dict(), path)
    torch.manual_seed(0)
    scratch = MODELS.build(backbone)
    scratch.init_weights()
    torch.manual_seed(0)
    loaded = MODELS.build(
        dict(backbone, init_cfg=dict(type='Pretrained', checkpoint=path)))
    loaded.init_weights()
    converted, _ = convert_state_dict(tiny_clip.state_dict())
    clip_keys = {k[len('visual.'):] for k in converted}
    new = {k: v for k, v in loaded.state_dict().items() if k not in clip_keys}
    assert any(k.startswith('between_blocks.') for k in new)
    for key, value in new.items():
        torch.testing.assert_close(value, scratch.state_dict()[key])
    torch.testing.assert_close(loaded.cls_token.flatten(),
                               tiny_clip.visual.class_embedding)
