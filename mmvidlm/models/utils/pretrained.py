# Copyright (c) mmvidlm authors. All rights reserved.
"""Pre-trained initialisation from upstream CLIP / BLIP checkpoints.

``init_cfg=dict(type='Pretrained', checkpoint=URL_OR_PATH)`` in an mmvidlm
config (default scope ``'mmvidlm'``) builds :class:`PretrainedInit`, which

1. reads the file: ``http(s)://`` URLs are downloaded once by
   ``torch.hub.download_url_to_file`` into torch.hub's cache, in a folder
   named after the URL's hash (``$TORCH_HOME/hub/checkpoints/<hash>/``:
   Hugging Face names every file ``pytorch_model.bin``, so the base name
   alone cannot key the cache, as it does in ``torch.hub``'s and MMEngine's
   loaders); a SHA-256 in the URL, as OpenAI publishes it, is checked.
   Files are loaded with ``weights_only=True``, ``.safetensors`` files with
   ``safetensors``, and TorchScript archives (OpenAI CLIP's ``.pt``) are read
   as data, without running their code
   (:mod:`~mmvidlm.models.utils.torchscript_weights`);
2. recognises the layout and converts it
   (:mod:`~mmvidlm.models.utils.checkpoint_convert`);
3. puts each converted component where the model keeps it
   (:func:`place_components`);
4. loads with ``strict=False`` semantics and logs a report of the modules
   that kept their own initialisation (new modules: InTI, adapters,
   temporal blocks) and of the checkpoint tensors left unused (e.g. CLIP's
   ``visual.proj`` in a recogniser); tensors of another shape (e.g. BLIP's
   feature queue for another ``queue_size``) are skipped and listed. The
   position embedding is resized to the model's resolution by
   :class:`~mmvidlm.models.VideoViT`. Momentum copies keep the momentum
   weights loaded (BLIP's ``*_m``) at their first update;
5. fails when the checkpoint initialised less than
   :data:`MIN_LOADED_FRACTION` of the encoder (an unknown layout, another
   architecture), unless the config says ``allow_partial=True``.
"""
import hashlib
import logging
import os
import os.path as osp
import pickle
import re
from collections import Counter, OrderedDict
from typing import Dict, Iterable, Optional
from urllib.error import URLError
from urllib.parse import urlparse

import torch
import torch.nn as nn
from mmengine.dist import get_dist_info
from mmengine.logging import print_log
from mmengine.model.weight_init import PretrainedInit as _MMEnginePretrained
from mmengine.model.weight_init import update_init_info
from mmengine.runner.checkpoint import CheckpointLoader, _IncompatibleKeys

from mmvidlm.registry import WEIGHT_INITIALIZERS
from mmvidlm.utils.checkpoint_pickle import load_from_local
from .checkpoint_convert import (LAYOUTS, NATIVE_LAYOUT, convert_state_dict,
                                 detect_layout)
from .torchscript_weights import (is_torchscript_archive,
                                  read_torchscript_weights)

#: Where models keep each component of the converted layout, tried in turn;
#: the candidate that receives most of the component's tensors wins. The
#: momentum copies of :class:`~mmvidlm.models.BlipVideoRetriever` keep the
#: encoder in ``module`` (MMEngine's ``ExponentialMovingAverage``); its
#: feature queue is ``queue.``, the converted layout's name.
COMPONENT_PLACES = {
    'visual.': ('', 'backbone.', 'visual_encoder.', 'vision_backbone.',
                'vision_encoder.', 'visual.'),
    'visual_m.': ('backbone_m.module.', 'vision_backbone_m.',
                  'visual_encoder_m.', 'visual_m.'),
    'visual_proj.': ('visual_proj.', ),
    'text_encoder.':
    ('text_backbone.', 'text_encoder.', 'multimodal_backbone.'),
    'text_encoder_m.':
    ('text_backbone_m.module.', 'text_backbone_m.', 'text_encoder_m.'),
    'text_decoder.': ('seq_gen_head.decoder.', 'vqa_head.decoder.',
                      'text_decoder.', 'decoder.'),
    'vision_proj.': ('vision_neck.', 'vision_proj.'),
    'vision_proj_m.':
    ('vision_neck_m.module.', 'vision_neck_m.', 'vision_proj_m.'),
    'text_proj.': ('text_neck.', 'text_proj.'),
    'text_proj_m.': ('text_neck_m.module.', 'text_neck_m.', 'text_proj_m.'),
    'itm_head.': ('multimodal_head.fc.', 'itm_head.'),
}

_SHA256 = re.compile(r'[0-9a-f]{64}')

#: A pre-trained load must initialise at least this fraction of the
#: encoder's values, unless ``allow_partial=True``.
MIN_LOADED_FRACTION = 0.5


def cache_path(url: str) -> str:
    """Where :func:`download_cached` keeps ``url``: torch.hub's checkpoint
    folder, a sub-folder named after the URL's hash, the URL's file name."""
    name = osp.basename(urlparse(url).path) or 'checkpoint'
    key = hashlib.sha256(url.encode('utf-8')).hexdigest()[:16]
    return osp.join(torch.hub.get_dir(), 'checkpoints', key, name)


def download_cached(url: str, progress: bool = True) -> str:
    """Download ``url`` once into torch.hub's checkpoint cache.

    The cache is keyed by the whole URL (:func:`cache_path`). In
    distributed runs local rank 0 downloads while the others wait. A
    64-hex-digit folder in the URL (OpenAI's convention) is the file's
    SHA-256 and is verified.

    Args:
        url (str): An ``http://`` or ``https://`` URL.
        progress (bool): Show a progress bar. Defaults to True.

    Returns:
        str: The cached file's path.

    Raises:
        RuntimeError: If the URL cannot be fetched, saying where to put the
            file by hand.
    """
    parts = urlparse(url).path.split('/')
    cached = cache_path(url)
    sha256 = parts[-2] if len(parts) > 1 and _SHA256.fullmatch(
        parts[-2]) else None
    rank, world_size = get_dist_info()
    local_rank = int(os.environ.get('LOCAL_RANK', rank))
    if local_rank == 0 and not osp.isfile(cached):
        os.makedirs(osp.dirname(cached), exist_ok=True)
        print_log(f'Downloading {url} to {cached}', logger='current')
        try:
            torch.hub.download_url_to_file(url, cached, sha256, progress)
        except (URLError, ConnectionError, TimeoutError) as e:
            raise RuntimeError(
                f'Cannot download {url} ({getattr(e, "reason", e)}). On a '
                'machine without internet access, download the file '
                f'elsewhere and copy it to {cached}, or set the checkpoint '
                'of init_cfg to a local path.') from e
    if world_size > 1:
        torch.distributed.barrier()
    return cached


def load_weights(filename: str, map_location='cpu') -> dict:
    """Read a checkpoint file, URL or TorchScript archive.

    TorchScript archives are read without running their code (see
    :func:`read_torchscript_weights`), the others with
    ``weights_only=True``, or, for MMEngine checkpoints (a trained
    mmvidlm model as initial weights), with the restricted unpickler of
    :mod:`mmvidlm.utils.checkpoint_pickle`.

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
    if is_torchscript_archive(filename):
        return read_torchscript_weights(filename)
    if filename.endswith('.safetensors'):
        from safetensors.torch import load_file
        return load_file(filename, device=str(map_location))
    try:
        checkpoint = torch.load(
            filename, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError:
        # An MMEngine checkpoint (message hub, numpy scalars): the
        # restricted unpickler of --resume accepts exactly those objects.
        checkpoint = load_from_local(filename, map_location)
    return _state_dict_of(checkpoint)


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


def encoder_prefix(module: nn.Module) -> str:
    """The prefix under which ``module`` keeps its visual encoder: the
    first place of :data:`COMPONENT_PLACES` ``['visual.']`` it has, or ``''``
    (the module is the encoder)."""
    names = module.state_dict().keys()
    return next((p for p in COMPONENT_PLACES['visual.'][1:] if any(
        k.startswith(p) for k in names)), '')


def check_loaded_fraction(module: nn.Module, loaded: Iterable[str],
                          checkpoint: str, source: str,
                          state_dict: Dict[str, torch.Tensor]) -> float:
    """Fail when the checkpoint initialised little of the encoder.

    Args:
        module (nn.Module): The module that was loaded.
        loaded (Iterable[str]): Its keys that were loaded.
        checkpoint (str): The checkpoint, for the message.
        source (str): Its layout, for the message.
        state_dict (dict): The weights offered, for the message.

    Returns:
        float: The fraction of the encoder's values that were loaded.

    Raises:
        ValueError: If it is below :data:`MIN_LOADED_FRACTION`.
    """
    prefix = encoder_prefix(module)
    sizes = {
        k: v.numel()
        for k, v in module.state_dict().items() if k.startswith(prefix)
    }
    total = sum(sizes.values())
    fraction = sum(sizes.get(k, 0) for k in loaded) / max(total, 1)
    if fraction < MIN_LOADED_FRACTION:
        where = f'{prefix[:-1]} of ' if prefix else ''
        examples = ', '.join(list(state_dict)[:3])
        raise ValueError(
            f'{checkpoint} ({source}) initialised {fraction:.1%} of '
            f'{where}{type(module).__name__}: its keys (e.g. {examples}) do '
            f'not match the model. Known layouts: '
            f'{", ".join(layout.name for layout in LAYOUTS.values())} and '
            "mmvidlm's own. If a partial load is intended, add "
            'allow_partial=True to the init_cfg.')
    return fraction


def load_pretrained(module: nn.Module,
                    checkpoint: str,
                    prefix: Optional[str] = None,
                    map_location='cpu',
                    logger='current',
                    allow_partial: bool = False):
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
        allow_partial (bool): Accept a checkpoint that initialises less than
            :data:`MIN_LOADED_FRACTION` of the encoder. Defaults to False.

    Returns:
        tuple[list[str], list[str]]: Missing and unexpected keys.

    Raises:
        ValueError: If the checkpoint initialised too little of the encoder
            (see :func:`check_loaded_fraction`) and ``allow_partial`` is
            False.
    """
    state_dict = load_weights(checkpoint, map_location)
    if prefix:
        # The prefix names keys of the file as written (as in MMEngine's
        # PretrainedInit), before any layout conversion.
        prefix = prefix if prefix.endswith('.') else prefix + '.'
        state_dict = OrderedDict((k[len(prefix):], v)
                                 for k, v in state_dict.items()
                                 if k.startswith(prefix))
        if not state_dict:
            raise KeyError(f'{checkpoint} has no key under {prefix!r}.')
        state_dict, layout = convert_state_dict(state_dict)
    else:
        state_dict, layout = convert_state_dict(state_dict)
        state_dict = place_components(state_dict, module)
    source = (f'{LAYOUTS[layout].name} checkpoint, converted'
              if layout != NATIVE_LAYOUT else 'checkpoint')
    missing, unexpected, errors = _load_state_dict(module, state_dict)
    name = type(module).__name__
    not_loaded = set(missing) | {
        re.sub(r'^size mismatch for (\S+):.*', r'\1', e, flags=re.S)
        for e in errors
    }
    # Counted after the load hooks, which may fill keys the file lacks.
    loaded = [k for k in module.state_dict() if k not in not_loaded]
    _note_loaded(module, loaded)
    print_log(
        f'Loaded {len(loaded)} tensors into {name} from {checkpoint} '
        f'({source}).',
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
    if not allow_partial:
        check_loaded_fraction(module, loaded, checkpoint, source, state_dict)
    return missing, unexpected


def _note_loaded(module: nn.Module, loaded: Iterable[str]) -> None:
    """Tell each sub-module with a ``note_loaded`` method (the momentum
    copies, :class:`~mmvidlm.models.multimodal.momentum.MomentumCopy`)
    which of its keys were loaded, relative to it."""
    for name, sub in module.named_modules():
        if callable(getattr(sub, 'note_loaded', None)):
            prefix = f'{name}.' if name else ''
            sub.note_loaded(k[len(prefix):] for k in loaded
                            if k.startswith(prefix))


def _load_state_dict(module: nn.Module, state_dict: dict) -> tuple:
    """``load_state_dict(strict=False)`` that skips tensors of another shape
    instead of raising, returning the missing keys, unexpected keys and
    shape errors. Load hooks (e.g. VideoViT's position-embedding resize)
    run as in ``nn.Module.load_state_dict``.

    MMEngine's ``load_state_dict`` skips such tensors too, but only logs
    the full key lists and returns nothing, while the summarised report and
    the partial-load check of :func:`load_pretrained` need the lists.
    """
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


def convert_checkpoint_file(src: str, dst: str, family: str) -> tuple:
    """Convert an upstream checkpoint file to mmvidlm's converted layout.

    What ``tools/model_converters/{clip,blip}2mmvidlm.py`` run.

    Args:
        src (str): Checkpoint path or URL (see :func:`load_weights`).
        dst (str): Where to write the converted state dict.
        family (str): The layouts accepted: ``'clip'`` or ``'blip'``.

    Returns:
        tuple[str, Counter]: The layout's name and the number of tensors of
        each component written.

    Raises:
        ValueError: If ``src`` has no layout of ``family``; nothing is
            written then.
    """
    names = [n for n, layout in LAYOUTS.items() if layout.family == family]
    state_dict = load_weights(src)
    layout = detect_layout(state_dict)
    if layout not in names:
        found = LAYOUTS[layout].name if layout in LAYOUTS else 'no known'
        raise ValueError(f'{src} has {found} layout, not one of '
                         f'{[LAYOUTS[n].name for n in names]}.')
    converted, _ = convert_state_dict(state_dict, layout)
    os.makedirs(osp.dirname(osp.abspath(dst)), exist_ok=True)
    torch.save(converted, dst)
    return LAYOUTS[layout].name, Counter(k.split('.')[0] for k in converted)


@WEIGHT_INITIALIZERS.register_module(name='Pretrained')
class PretrainedInit(_MMEnginePretrained):
    """MMEngine's ``Pretrained`` initialiser that also reads upstream layouts.

    Registered as ``'Pretrained'`` in mmvidlm's scope, so that
    ``init_cfg=dict(type='Pretrained', checkpoint=...)`` loads every layout
    of :data:`~mmvidlm.models.utils.LAYOUTS` (OpenAI and Hugging Face CLIP,
    Salesforce, Hugging Face and MMPretrain BLIP, MMPretrain ViTs, MMAction2
    UniFormerV2) as well as mmvidlm's own, and reports what was not loaded.
    See :func:`load_pretrained`.

    Args:
        checkpoint (str): Path or URL of the checkpoint.
        prefix (str, optional): Load only the keys under this prefix.
            Defaults to None.
        map_location (str): As in :func:`torch.load`. Defaults to ``'cpu'``.
        allow_partial (bool): Accept a checkpoint that initialises less
            than half of the encoder (an error otherwise, as it usually
            means an unknown layout). Defaults to False.
    """

    def __init__(self,
                 checkpoint: str,
                 prefix: Optional[str] = None,
                 map_location: str = 'cpu',
                 allow_partial: bool = False):
        super().__init__(checkpoint, prefix, map_location)
        self.allow_partial = allow_partial

    def __call__(self, module: nn.Module) -> None:
        load_pretrained(
            module,
            self.checkpoint,
            self.prefix,
            self.map_location,
            allow_partial=self.allow_partial)
        if hasattr(module, '_params_init_info'):
            update_init_info(module, init_info=self._get_init_info())
