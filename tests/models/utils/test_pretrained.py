# Copyright (c) mmvidlm authors. All rights reserved.
"""``init_cfg=dict(type='Pretrained', checkpoint=URL)`` through a local
HTTP server on 127.0.0.1, with OpenAI's TorchScript archive format."""
import hashlib
import http.server
import os
import os.path as osp
import pickle
import socket
import threading
import warnings
import zipfile
from contextlib import contextmanager
from functools import partial
from typing import Tuple

import pytest
import torch
from mmengine.config import Config

from mmvidlm.models.utils import convert_state_dict, load_weights
from mmvidlm.models.utils.pretrained import cache_path
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
    server = http.server.ThreadingHTTPServer(
        ('127.0.0.1', 0), partial(_QuietHandler, directory=root))
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


def closed_port() -> int:
    """A 127.0.0.1 port nothing listens on."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.mark.filterwarnings('ignore:.*TorchScript archive')
def test_torchscript_archive_is_read_as_state_dict(tmp_path, openai_clip):
    path = str(tmp_path / 'ViT-T.pt')
    save_torchscript(openai_clip, path)
    with pytest.raises(RuntimeError, match='TorchScript'):
        torch.load(path, weights_only=True)
    state_dict = load_weights(path)
    # Exactly the parameters and buffers, not other tensor attributes.
    assert list(state_dict) == list(openai_clip.state_dict())
    for key, value in openai_clip.state_dict().items():
        assert state_dict[key].dtype == value.dtype
        assert torch.equal(state_dict[key], value)


class _SetStateRunsCode(torch.nn.Module):
    """Its TorchScript ``__setstate__`` prints a marker and changes a
    weight: ``torch.jit.load`` runs it, reading the weights must not."""

    def __init__(self):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.ones(3))

    def forward(self, x):
        return x * self.weight.sum()

    @torch.jit.export
    def __getstate__(self) -> Tuple[torch.Tensor, bool]:
        return (self.weight, self.training)

    @torch.jit.export
    def __setstate__(self, state: Tuple[torch.Tensor, bool]) -> None:
        print('MMVIDLM_SETSTATE_MARKER')
        self.weight = state[0] * 7
        self.training = state[1]


class _ClipWithPayload(torch.nn.Module):

    def __init__(self, clip):
        super().__init__()
        self.visual = clip.visual
        self.payload = _SetStateRunsCode()

    def forward(self, x):
        return self.payload(self.visual(x)[1])


@pytest.mark.filterwarnings('ignore::FutureWarning')
def test_torchscript_code_is_not_run(tmp_path, openai_clip, capfd):
    model = _ClipWithPayload(openai_clip)
    path = str(tmp_path / 'payload.pt')
    torch.jit.save(torch.jit.script(model), path)
    capfd.readouterr()
    # What torch.jit.load does: the archive's code runs.
    scripted = torch.jit.load(path)
    assert 'MMVIDLM_SETSTATE_MARKER' in capfd.readouterr().out
    assert torch.equal(scripted.payload.weight, torch.full((3, ), 7.))

    state_dict = load_weights(path)
    assert 'MMVIDLM_SETSTATE_MARKER' not in ''.join(capfd.readouterr())
    expected = {
        k: v
        for k, v in model.state_dict().items() if not k.startswith('payload')
    }
    assert list(state_dict) == list(expected)
    for key, value in expected.items():
        assert torch.equal(state_dict[key], value)


class _WritesMarker:

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (os.system, (f'touch {self.path}', ))


def test_torchscript_foreign_globals_refused(tmp_path):
    """Only tensors, storages and scripted objects are unpickled."""
    marker = tmp_path / 'marker'
    path = str(tmp_path / 'bad.pt')
    with zipfile.ZipFile(path, 'w') as archive:
        archive.writestr('bad/data.pkl',
                         pickle.dumps(_WritesMarker(marker), protocol=2))
        archive.writestr('bad/constants.pkl', pickle.dumps(()))
    with pytest.raises(pickle.UnpicklingError, match='system is not allowed'):
        load_weights(path)
    assert not marker.exists()


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
    url = f'{base_url}/{sha256}/ViT-T.pt'
    assert osp.isfile(cache_path(url))

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
        url = f'{base_url}/{wrong}/ViT-W.pt'
        with pytest.raises(RuntimeError, match='(?i)hash'):
            load_weights(url)
    assert not osp.exists(cache_path(url))


def test_cache_is_keyed_by_url(tmp_path, monkeypatch):
    """Two URLs with the same file name (every Hugging Face checkpoint is
    ``pytorch_model.bin``) are two cache entries."""
    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'torch_home'))
    for repo, value in (('a', 1.), ('b', 2.)):
        (tmp_path / repo).mkdir()
        torch.save({'w': torch.full((2, ), value)},
                   str(tmp_path / repo / 'pytorch_model.bin'))
    with serve(str(tmp_path)) as base_url:
        first = load_weights(f'{base_url}/a/pytorch_model.bin')
        second = load_weights(f'{base_url}/b/pytorch_model.bin')
    assert torch.equal(first['w'], torch.full((2, ), 1.))
    assert torch.equal(second['w'], torch.full((2, ), 2.))
    # Both stay cached: served again without the server.
    assert torch.equal(
        load_weights(f'{base_url}/a/pytorch_model.bin')['w'],
        torch.full((2, ), 1.))


def test_unreachable_url_says_where_to_put_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'torch_home'))
    url = f'http://127.0.0.1:{closed_port()}/weights/ViT-B-16.pt'
    with pytest.raises(RuntimeError) as info:
        load_weights(url)
    message = str(info.value)
    assert f'Cannot download {url}' in message
    assert cache_path(url) in message  # where to copy it by hand
    assert 'local path' in message
    # Copied there, the file is used without the network.
    target = cache_path(url)
    torch.save({'w': torch.ones(1)}, target)
    assert torch.equal(load_weights(url)['w'], torch.ones(1))


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


def test_safetensors_file(tmp_path):
    """Hugging Face's ``model.safetensors`` is read too."""
    from safetensors.torch import save_file
    state = {'w': torch.randn(3, 2), 'b': torch.arange(4)}
    save_file(state, str(tmp_path / 'model.safetensors'))
    loaded = load_weights(str(tmp_path / 'model.safetensors'))
    assert set(loaded) == set(state)
    for key, value in state.items():
        assert torch.equal(loaded[key], value)


class _Gadget:
    """Runs ``os.system`` when unpickled by an unrestricted loader."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f'touch {self.marker}', )


def test_mmengine_checkpoint_as_initial_weights(tmp_path):
    """A trained model's MMEngine checkpoint (its message hub holds
    ``HistoryBuffer``s and numpy scalars, which ``weights_only=True``
    refuses) initialises a model; a crafted one is still refused."""
    import numpy as np
    from mmengine.logging import HistoryBuffer
    buffer = HistoryBuffer()
    buffer.update(np.float64(0.5))
    state = {'backbone.w': torch.randn(3, 2)}
    path = tmp_path / 'epoch_1.pth'
    torch.save(
        dict(
            meta=dict(epoch=1, seed=np.int64(0)),
            state_dict=state,
            message_hub=dict(log_scalars=dict(loss=buffer))), path)
    with pytest.raises(pickle.UnpicklingError):
        torch.load(path, weights_only=True)
    loaded = load_weights(str(path))
    assert torch.equal(loaded['backbone.w'], state['backbone.w'])

    marker = tmp_path / 'pwned'
    evil = tmp_path / 'evil.pth'
    torch.save(dict(state_dict=state, meta=_Gadget(str(marker))), evil)
    with pytest.raises(pickle.UnpicklingError, match='evil.pth'):
        load_weights(str(evil))
    assert not marker.exists()
