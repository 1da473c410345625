# Copyright (c) mmvidlm authors. All rights reserved.
"""Pre-trained initialisation from upstream CLIP / BLIP checkpoints.

``init_cfg=dict(type='Pretrained', checkpoint=URL_OR_PATH)`` in an mmvidlm
config (default scope ``'mmvidlm'``) builds :class:`PretrainedInit`, which

1. reads the file: ``http(s)://`` URLs are downloaded once into torch.hub's
   cache (``$TORCH_HOME/hub/checkpoints``, where MMEngine caches too; a
   SHA-256 in the URL, as OpenAI publishes it, is checked), files are loaded
   with ``weights_only=True``, and TorchScript archives (OpenAI CLIP's
   ``.pt``) through ``torch.jit.load``;
2. recognises the layout and converts it
   (:mod:`~mmvidlm.models.utils.checkpoint_convert`);
3. puts each converted component where the model keeps it
   (:func:`place_components`);
4. loads with ``strict=False`` semantics and logs a report of the modules
   that kept their own initialisation (new modules: InTI, adapters,
   temporal blocks) and of the checkpoint tensors left unused (e.g. CLIP's
   ``visual.proj`` in a recogniser). The position embedding is resized to
   the model's resolution by :class:`~mmvidlm.models.VideoViT`.
"""
import logging
import os
import os.path as osp
import re
import warnings
import zipfile
from collections import Counter, OrderedDict
from typing import Dict, Iterable, Optional
from urllib.parse import urlparse

import torch
import torch.nn as nn
from mmengine.dist import get_dist_info
from mmengine.logging import print_log
from mmengine.model.weight_init import PretrainedInit as _MMEnginePretrained
from mmengine.model.weight_init import update_init_info
from mmengine.runner.checkpoint import CheckpointLoader, _IncompatibleKeys

from mmvidlm.registry import WEIGHT_INITIALIZERS
from .checkpoint_convert import (LAYOUTS, NATIVE_LAYOUT, convert_state_dict,
                                 detect_layout)

#: Where models keep each component of the converted layout, tried in turn;
#: the candidate that receives most of the component's tensors wins.
COMPONENT_PLACES = {
    'visual.': ('', 'backbone.', 'visual_encoder.', 'vision_backbone.',
                'vision_encoder.', 'visual.'),
    'visual_m.': ('vision_backbone_m.', 'visual_encoder_m.', 'visual_m.'),
    'visual_proj.': ('visual_proj.', ),
    'text_encoder.': ('text_backbone.', 'text_encoder.',
                      'multimodal_backbone.'),
    'text_encoder_m.': ('text_backbone_m.', 'text_encoder_m.'),
    'text_decoder.': ('seq_gen_head.decoder.', 'vqa_head.decoder.',
                      'text_decoder.', 'decoder.'),
    'vision_proj.': ('vision_neck.', 'vision_proj.'),
    'vision_proj_m.': ('vision_neck_m.', 'vision_proj_m.'),
    'text_proj.': ('text_neck.', 'text_proj.'),
    'text_proj_m.': ('text_neck_m.', 'text_proj_m.'),
    'itm_head.': ('multimodal_head.fc.', 'itm_head.'),
}

_SHA256 = re.compile(r'[0-9a-f]{64}')


def download_cached(url: str, progress: bool = True) -> str:
    """Download ``url`` once into torch.hub's checkpoint cache.

    In distributed runs local rank 0 downloads while the others wait. A
    64-hex-digit folder in the URL (OpenAI's convention) is the file's
    SHA-256 and is verified.

    Args:
        url (str): An ``http://`` or ``https://`` URL.
        progress (bool): Show a progress bar. Defaults to True.

    Returns:
        str: The cached file's path.
    """
    parts = urlparse(url).path.split('/')
    cache_dir = osp.join(torch.hub.get_dir(), 'checkpoints')
    cached = osp.join(cache_dir, parts[-1])
    sha256 = parts[-2] if len(parts) > 1 and _SHA256.fullmatch(
        parts[-2]) else None
    rank, world_size = get_dist_info()
    local_rank = int(os.environ.get('LOCAL_RANK', rank))
    if local_rank == 0 and not osp.isfile(cached):
        os.makedirs(cache_dir, exist_ok=True)
        print_log(f'Downloading {url} to {cached}', logger='current')
        torch.hub.download_url_to_file(url, cached, sha256, progress)
    if world_size > 1:
        torch.distributed.barrier()
    return cached


def _is_torchscript_archive(path: str) -> bool:
    # torch.load itself recognises TorchScript zips by this record.
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as archive:
        return any(n.endswith('/constants.pkl') for n in archive.namelist())


def load_weights(filename: str, map_location='cpu') -> dict:
    """Read a checkpoint file, URL or TorchScript archive.

    Args:
        filename (str): A local path, an ``http(s)://`` URL (cached, see
            :func:`download_cached`) or any scheme MMEngine's
            ``CheckpointLoader`` knows.
        map_location: As in :func:`torch.load`. Defaults to ``'cpu'``.

    Returns:
        dict: The checkpoint's state dict (unwrapped from ``state_dict`` or
        Salesforce BLIP's ``model`` entry).
    """
    if filename.startswith(('http://', 'https://')):
        filename = download_cached(filename)
    elif not osp.isfile(osp.expanduser(filename)) and '://' in filename:
        return _state_dict_of(
            CheckpointLoader.load_checkpoint(filename, map_location))
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'Checkpoint {filename} does not exist.')
    if _is_torchscript_archive(filename):
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', FutureWarning)  # jit deprecation
            return dict(
                torch.jit.load(filename,
                               map_location=map_location).state_dict())
    return _state_dict_of(
        torch.load(filename, map_location=map_location, weights_only=True))


def _state_dict_of(checkpoint) -> dict:
    if not isinstance(checkpoint, dict):
        raise TypeError(f'Expected a state dict, got {type(checkpoint)}.')
    for wrapper in ('state_dict', 'model'):
        if isinstance(checkpoint.get(wrapper), dict):
            return checkpoint[wrapper]
    return checkpoint


def place_components(state_dict: Dict[str, torch.Tensor],
                     module: nn.Module) -> 'OrderedDict':
    """Rename converted components to where ``module`` keeps them.

    For every component of :data:`COMPONENT_PLACES` present in
    ``state_dict``, the candidate prefix under which ``module`` has most of
    the component's keys replaces the component prefix. Components the
    module has nowhere, and keys outside every component, keep their
    names (and are reported as unused when loading).

    Args:
        state_dict (dict): Weights in the converted layout.
        module (nn.Module): The model (or sub-module) to load into.

    Returns:
        OrderedDict: The renamed weights.
    """
    targets = set(module.state_dict())
    renames = {}
    for component, places in COMPONENT_PLACES.items():
        keys = [
            k[len(component):] for k in state_dict if k.startswith(component)
        ]
        if not keys:
            continue
        hits = {p: sum(p + k in targets for k in keys) for p in places}
        best = max(places, key=lambda p: hits[p])
        if hits[best]:
            renames[component] = best
    placed = OrderedDict()
    for key, value in state_dict.items():
        component = next((c for c in renames if key.startswith(c)), None)
        if component is not None:
            key = renames[component] + key[len(component):]
        placed[key] = value
    return placed


def summarize_keys(keys: Iterable[str]) -> str:
    """``layers.0.ln1.weight, layers.1.ln1.weight`` ->
    ``layers.*.ln1 (2 tensors)``: one line per module pattern."""
    counts = Counter(
        re.sub(r'\.(weight|bias)$', '', re.sub(r'\.\d+(?=\.)', '.*', k))
        for k in keys)
    return '\n'.join(f'    {pattern} ({n} tensor{"s" if n > 1 else ""})'
                     for pattern, n in counts.items())


def load_pretrained(module: nn.Module,
                    checkpoint: str,
                    prefix: Optional[str] = None,
                    map_location='cpu',
                    logger='current'):
    """Initialise ``module`` from a checkpoint in any known layout.

    Args:
        module (nn.Module): The module to initialise.
        checkpoint (str): Path or URL (see :func:`load_weights`).
        prefix (str, optional): Load only the keys under this prefix (of the
            converted layout for upstream checkpoints, e.g. ``'visual.'``),
            with the prefix removed, as MMEngine's ``PretrainedInit`` does.
            By default each component goes where the module keeps it.
        map_location: As in :func:`torch.load`. Defaults to ``'cpu'``.
        logger: MMEngine logger (name) of the report.

    Returns:
        tuple[list[str], list[str]]: Missing and unexpected keys.
    """
    state_dict, layout = convert_state_dict(
        load_weights(checkpoint, map_location))
    if prefix:
        prefix = prefix if prefix.endswith('.') else prefix + '.'
        state_dict = OrderedDict((k[len(prefix):], v)
                                 for k, v in state_dict.items()
                                 if k.startswith(prefix))
        if not state_dict:
            raise KeyError(f'{checkpoint} has no key under {prefix!r}.')
    else:
        state_dict = place_components(state_dict, module)
    source = (f'{LAYOUTS[layout].name} checkpoint, converted'
              if layout != NATIVE_LAYOUT else 'checkpoint')
    missing, unexpected, errors = _load_state_dict(module, state_dict)
    name = type(module).__name__
    print_log(
        f'Loaded {len(state_dict) - len(unexpected) - len(errors)} tensors '
        f'into {name} from {checkpoint} ({source}).',
        logger=logger)
    if missing:
        print_log(
            f'{len(missing)} tensors of {name} are not in the checkpoint and '
            'keep their own initialisation:\n' + summarize_keys(missing),
            logger=logger,
            level=logging.WARNING)
    if unexpected:
        print_log(
            f'{len(unexpected)} checkpoint tensors are not used by {name}:\n' +
            summarize_keys(unexpected),
            logger=logger,
            level=logging.WARNING)
    if errors:
        print_log(
            f'{len(errors)} checkpoint tensors do not fit {name} and were '
            'not loaded:\n    ' + '\n    '.join(errors),
            logger=logger,
            level=logging.WARNING)
    return missing, unexpected


def _load_state_dict(module: nn.Module, state_dict: dict) -> tuple:
    """``load_state_dict(strict=False)`` that skips tensors of another shape
    instead of raising (as MMEngine's loader does), returning the missing
    keys, unexpected keys and shape errors. Load hooks (e.g. VideoViT's
    position-embedding resize) run as in ``nn.Module.load_state_dict``."""
    missing, unexpected, errors = [], [], []

    def load(mod, local_state_dict, prefix=''):
        mod._load_from_state_dict(local_state_dict, prefix, {}, True, missing,
                                  unexpected, errors)
        for child_name, child in mod._modules.items():
            if child is not None:
                child_prefix = f'{prefix}{child_name}.'
                load(
                    child, {
                        k: v
                        for k, v in local_state_dict.items()
                        if k.startswith(child_prefix)
                    }, child_prefix)
        for hook in mod._load_state_dict_post_hooks.values():
            hook(mod, _IncompatibleKeys(missing, unexpected))

    load(module, dict(state_dict))
    missing = [k for k in missing if not k.endswith('num_batches_tracked')]
    return missing, unexpected, errors


def convert_checkpoint_file(family: str, argv: Optional[list] = None) -> None:
    """Command line of ``tools/model_converters/{clip,blip}2mmvidlm.py``.

    Reads ``src`` (path or URL), checks that its layout belongs to
    ``family`` (``'clip'`` or ``'blip'``), writes the converted state dict
    to ``dst`` and prints the layout and the keys no table maps.

    Args:
        family (str): ``'clip'`` or ``'blip'``.
        argv (list, optional): Arguments; ``sys.argv[1:]`` when None.
    """
    import argparse
    names = [n for n, layout in LAYOUTS.items() if layout.family == family]
    parser = argparse.ArgumentParser(
        description=f'Convert a {family.upper()} checkpoint '
        f'({", ".join(LAYOUTS[n].name for n in names)}) to mmvidlm keys.')
    parser.add_argument('src', help='checkpoint path or URL')
    parser.add_argument('dst', help='output path (.pth)')
    args = parser.parse_args(argv)
    state_dict = load_weights(args.src)
    layout = detect_layout(state_dict)
    if layout not in names:
        found = LAYOUTS[layout].name if layout in LAYOUTS else 'no known'
        parser.error(f'{args.src} has {found} layout, not one of '
                     f'{[LAYOUTS[n].name for n in names]}.')
    converted, _ = convert_state_dict(state_dict, layout)
    components = Counter(k.split('.')[0] for k in converted)
    os.makedirs(osp.dirname(osp.abspath(args.dst)), exist_ok=True)
    torch.save(converted, args.dst)
    print(f'{args.src}: {LAYOUTS[layout].name} layout, {len(converted)} '
          f'tensors written to {args.dst}:')
    for component, n in components.items():
        print(f'    {component}: {n}')


@WEIGHT_INITIALIZERS.register_module(name='Pretrained')
class PretrainedInit(_MMEnginePretrained):
    """MMEngine's ``Pretrained`` initialiser that also reads upstream layouts.

    Registered as ``'Pretrained'`` in mmvidlm's scope, so that
    ``init_cfg=dict(type='Pretrained', checkpoint=...)`` loads OpenAI CLIP,
    Hugging Face CLIP, Salesforce BLIP and Hugging Face BLIP checkpoints as
    well as mmvidlm's own, and reports what was not loaded. See
    :func:`load_pretrained`.

    Args:
        checkpoint (str): Path or URL of the checkpoint.
        prefix (str, optional): Load only the keys under this prefix.
            Defaults to None.
        map_location (str): As in :func:`torch.load`. Defaults to ``'cpu'``.
    """

    def __call__(self, module: nn.Module) -> None:
        load_pretrained(module, self.checkpoint, self.prefix,
                        self.map_location)
        if hasattr(module, '_params_init_info'):
            update_init_info(module, init_info=self._get_init_info())
