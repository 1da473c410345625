# Copyright (c) mmvidlm authors. All rights reserved.
import importlib.util
import os
import os.path as osp
import socket
import subprocess
import sys
import textwrap
import time

import pytest

from .conftest import TOKENIZER

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.dirname(__file__))))


def test_blip_special_tokens(registered):
    from mmvidlm.registry import TOKENIZER as REGISTRY
    tokenizer = REGISTRY.build(TOKENIZER)
    # BERT's 30522 tokens + [DEC] (bos) + [ENC]: BLIP's vocab_size.
    assert len(tokenizer) == 30524
    assert tokenizer.bos_token == '[DEC]'
    assert tokenizer.bos_token_id == 30522
    assert tokenizer.enc_token_id == 30523
    assert tokenizer.convert_ids_to_tokens(30523) == '[ENC]'
    assert (tokenizer.cls_token_id, tokenizer.sep_token_id,
            tokenizer.pad_token_id) == (101, 102, 0)
    ids = tokenizer('A Red circle.').input_ids
    assert tokenizer.convert_ids_to_tokens(ids) == [
        '[CLS]', 'a', 'red', 'circle', '.', '[SEP]'
    ]


def test_vocab_file_and_missing_path(registered, tmp_path):
    from mmvidlm.models.multimodal.tokenizer import (BlipTokenizer,
                                                     resolve_tokenizer_path)
    folder = resolve_tokenizer_path(TOKENIZER['name_or_path'])
    assert len(BlipTokenizer(f'{folder}/vocab.txt')) == 30524
    with pytest.raises(FileNotFoundError, match='does not exist'):
        BlipTokenizer(str(tmp_path / 'no_such_dir'))
    with pytest.raises(FileNotFoundError, match='not installed'):
        BlipTokenizer('pkg://no_such_package_xyz/model')


def test_missing_tokenizer_fails_at_build(registered, tmp_path):
    """The model config names a tokenizer that is not there: the error
    comes when the model is built, and says what to fix."""
    from mmvidlm.registry import MODELS
    from .conftest import tiny_captioner_cfg
    cfg = tiny_captioner_cfg()
    cfg['data_preprocessor'] = dict(
        cfg['data_preprocessor'],
        tokenizer=dict(
            type='BlipTokenizer',
            name_or_path=str(tmp_path / 'bert' / 'vocab.txt')))
    with pytest.raises(FileNotFoundError, match='tokenizer.name_or_path'):
        MODELS.build(cfg)


def closed_port() -> int:
    """A 127.0.0.1 port nothing listens on."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def test_unreachable_hub_fails_fast(tmp_path):
    """No internet (the hub's port is closed), offline mode not set: the
    tokenizer fails in seconds with the message that says what to do (the
    Hugging Face client alone retries for about 3 minutes)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith('HF_')}
    env.update(
        HF_ENDPOINT=f'http://127.0.0.1:{closed_port()}',
        HF_HOME=str(tmp_path / 'hf_home'))
    code = textwrap.dedent("""
        import time
        from mmvidlm.models.multimodal.tokenizer import BlipTokenizer
        start = time.time()
        try:
            BlipTokenizer('bert-base-uncased')
        except FileNotFoundError as e:
            print('ERROR', e)
        print('SECONDS', time.time() - start)
        """)
    out = subprocess.run([sys.executable, '-c', code],
                         env=env,
                         capture_output=True,
                         text=True,
                         timeout=300,
                         cwd=REPO_ROOT).stdout
    assert 'ERROR' in out and 'hub is unreachable' in out, out
    assert 'tokenizer.name_or_path' in out
    assert float(out.split('SECONDS')[1]) < 15, out


def test_silent_hub_counts_as_offline(monkeypatch):
    """A hub that accepts the connection but never answers: offline after
    HUB_TIMEOUT seconds, not after the client's retries."""
    from huggingface_hub import constants

    from mmvidlm.models.multimodal import tokenizer
    with socket.socket() as server:
        server.bind(('127.0.0.1', 0))
        server.listen()
        monkeypatch.setattr(constants, 'HF_HUB_OFFLINE', False)
        monkeypatch.setattr(constants, 'ENDPOINT',
                            f'http://127.0.0.1:{server.getsockname()[1]}')
        start = time.time()
        assert not tokenizer.hub_reachable(timeout=1)
        assert time.time() - start < 5
        monkeypatch.setattr(constants, 'HF_HUB_OFFLINE', True)
        assert not tokenizer.hub_reachable()


def test_tokenizers_parallelism_kept(registered, monkeypatch):
    """MMPretrain's loader sets TOKENIZERS_PARALLELISM=true for the process;
    the user's setting (off by default) survives."""
    from mmvidlm.registry import TOKENIZER as REGISTRY
    monkeypatch.delenv('TOKENIZERS_PARALLELISM', raising=False)
    REGISTRY.build(TOKENIZER)
    assert os.environ['TOKENIZERS_PARALLELISM'] == 'false'


def test_model_builds_and_counts_without_tokenizer(registered):
    """A Hugging Face tokenizer name that cannot be loaded here: the model
    still builds and get_flops.py counts it; the first tokenisation fails
    clearly."""
    from mmengine.config import Config

    from mmvidlm.registry import MODELS
    from .conftest import tiny_captioner_cfg
    spec = importlib.util.spec_from_file_location(
        'get_flops',
        osp.join(REPO_ROOT, 'tools', 'analysis_tools', 'get_flops.py'))
    get_flops = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(get_flops)
    model_cfg = tiny_captioner_cfg()
    model_cfg['data_preprocessor'] = dict(
        model_cfg['data_preprocessor'],
        tokenizer=dict(type='BlipTokenizer', name_or_path='bert-base-uncased'))
    shape, macs, params = get_flops.count(Config(dict(model=model_cfg)))
    assert shape == (4, 32, 32) and macs > 0 and params > 0
    model = MODELS.build(model_cfg)
    with pytest.raises(FileNotFoundError, match='bert-base-uncased'):
        model.data_preprocessor.tokenize(['a video'])
