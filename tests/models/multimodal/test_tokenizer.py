# Copyright (c) mmvidlm authors. All rights reserved.
import pytest

from .conftest import TOKENIZER


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
        tokenizer=dict(type='BlipTokenizer',
                       name_or_path=str(tmp_path / 'bert' / 'vocab.txt')))
    with pytest.raises(FileNotFoundError, match='tokenizer.name_or_path'):
        MODELS.build(cfg)
