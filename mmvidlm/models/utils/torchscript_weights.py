# Copyright (c) mmvidlm authors. All rights reserved.
"""Read the weights of a TorchScript archive without running its code.

OpenAI publishes CLIP as TorchScript archives (``ViT-B-16.pt``).
``torch.jit.load`` would rebuild the scripted modules, which runs code
stored in the archive (a module's ``__setstate__``), and
``torch.load(..., weights_only=True)`` refuses such archives. The archive is
a zip: ``<name>/data.pkl`` pickles the module tree, whose tensors point to
raw storages ``<name>/data/<key>``, and ``<name>/code/**.py`` declares each
scripted class's ``__parameters__`` and ``__buffers__``. This module
unpickles ``data.pkl`` with an unpickler that knows only tensors, storages
and ordered dicts, and stands a passive record in for every scripted
object, so no code of the archive is executed. The declarations in
``code/`` (read as text) pick the parameters and buffers, as
``torch.jit.load(...).state_dict()`` would.
"""
import logging
import pickle
import re
import zipfile
from collections import OrderedDict
from typing import Dict, List

import torch
from mmengine.logging import print_log

_STORAGE_DTYPES = {
    'DoubleStorage': torch.float64,
    'FloatStorage': torch.float32,
    'HalfStorage': torch.float16,
    'BFloat16Storage': torch.bfloat16,
    'LongStorage': torch.int64,
    'IntStorage': torch.int32,
    'ShortStorage': torch.int16,
    'CharStorage': torch.int8,
    'ByteStorage': torch.uint8,
    'BoolStorage': torch.bool,
}
_CLASS_DECL = re.compile(
    r'^class (\w+)\(Module\):\n  __parameters__ = \[(.*)\]\n'
    r'  __buffers__ = \[(.*)\]', re.MULTILINE)


class _ScriptObject:
    """A scripted object's pickled state, kept as data (never executed)."""
    qualified_name = ''

    def __setstate__(self, state):
        self.state = state


def _rebuild_tensor(storage: torch.Tensor, offset: int, size: tuple,
                    stride: tuple, *unused) -> torch.Tensor:
    # ``torch._utils._rebuild_tensor_v2``'s arguments, with requires_grad,
    # backward hooks and metadata ignored: only the values matter here.
    return storage.as_strided(size, stride, offset)


def _identity(value, *unused):
    return value


# torch.jit._pickle's helpers for typed lists and type tags.
_JIT_PICKLE_HELPERS = ('build_intlist', 'build_tensorlist', 'build_doublelist',
                       'build_boollist', 'restore_type_tag')


class _WeightsUnpickler(pickle.Unpickler):
    """Rebuilds tensors from the archive's storages and nothing else."""

    def __init__(self, file, archive: zipfile.ZipFile, prefix: str):
        super().__init__(file)
        self.archive = archive
        self.prefix = prefix
        self.storages: Dict[str, torch.Tensor] = {}
        self.classes: Dict[str, type] = {}

    def find_class(self, module: str, name: str):
        if module == '__torch__' or module.startswith('__torch__.'):
            qualified = f'{module}.{name}'
            if qualified not in self.classes:
                self.classes[qualified] = type(name, (_ScriptObject, ),
                                               dict(qualified_name=qualified))
            return self.classes[qualified]
        if (module, name) == ('torch._utils', '_rebuild_tensor_v2'):
            return _rebuild_tensor
        if (module, name) == ('collections', 'OrderedDict'):
            return OrderedDict
        if module == 'torch' and name in _STORAGE_DTYPES:
            return _STORAGE_DTYPES[name]
        if module == 'torch.jit._pickle' and name in _JIT_PICKLE_HELPERS:
            return _identity
        raise pickle.UnpicklingError(
            f'{module}.{name} is not allowed in the weights of a TorchScript '
            'archive (only tensors are read from it).')

    def persistent_load(self, pid):
        kind, dtype, key, _location, numel = pid
        if kind != 'storage' or not isinstance(dtype, torch.dtype):
            raise pickle.UnpicklingError(f'Unknown record {pid!r}.')
        if key not in self.storages:
            raw = bytearray(self.archive.read(f'{self.prefix}data/{key}'))
            self.storages[key] = torch.frombuffer(
                raw, dtype=dtype, count=numel) if numel else torch.empty(
                    0, dtype=dtype)
        return self.storages[key]


def _declared_state(archive: zipfile.ZipFile,
                    prefix: str) -> Dict[str, List[str]]:
    """Qualified class name -> its declared parameters and buffers."""
    declared = {}
    code = f'{prefix}code/'
    for name in archive.namelist():
        if not (name.startswith(code) and name.endswith('.py')):
            continue
        module = name[len(code):-len('.py')].replace('/', '.')
        text = archive.read(name).decode('utf-8', errors='replace')
        for cls, params, buffers in _CLASS_DECL.findall(text):
            declared[f'{module}.{cls}'] = re.findall(r'"([^"]+)"',
                                                     params + buffers)
    return declared


def _archive_prefix(archive: zipfile.ZipFile) -> str:
    names = [n for n in archive.namelist() if n.endswith('data.pkl')]
    if len(names) != 1:
        raise ValueError(f'{archive.filename} is not a TorchScript archive '
                         f'(data.pkl records: {names}).')
    return names[0][:-len('data.pkl')]


def _collect(obj: _ScriptObject, prefix: str, declared: Dict[str, List[str]],
             out: 'OrderedDict', skipped: List[str]) -> None:
    state = getattr(obj, 'state', None)
    if not isinstance(state, dict):
        # A custom __getstate__: its tensors carry no names.
        skipped.append(f'{prefix[:-1] or "<root>"} ({obj.qualified_name})')
        return
    names = declared.get(obj.qualified_name)
    for name, value in state.items():
        if isinstance(value, _ScriptObject):
            _collect(value, f'{prefix}{name}.', declared, out, skipped)
        elif isinstance(value, torch.Tensor) and (names is None
                                                  or name in names):
            out[prefix + name] = value


def read_torchscript_weights(path: str) -> 'OrderedDict':
    """The parameters and buffers of a TorchScript archive, read as data.

    Args:
        path (str): A file written by ``torch.jit.save``.

    Returns:
        OrderedDict: The state dict ``torch.jit.load(path).state_dict()``
        would give, on the CPU, without running the archive's code.

    Raises:
        pickle.UnpicklingError: If the archive pickles anything but scripted
            objects, tensors and containers.
    """
    with zipfile.ZipFile(path) as archive:
        prefix = _archive_prefix(archive)
        byteorder = f'{prefix}byteorder'
        if byteorder in archive.namelist() and archive.read(
                byteorder).strip() != b'little':
            raise ValueError(f'{path}: big-endian archives are not read.')
        with archive.open(f'{prefix}data.pkl') as f:
            root = _WeightsUnpickler(f, archive, prefix).load()
        declared = _declared_state(archive, prefix)
    if not isinstance(root, _ScriptObject):
        raise ValueError(f'{path} does not hold a scripted module.')
    state_dict: 'OrderedDict' = OrderedDict()
    skipped: List[str] = []
    _collect(root, '', declared, state_dict, skipped)
    if skipped:
        print_log(
            f'{path}: not read (custom TorchScript state): '
            f'{", ".join(skipped)}',
            logger='current',
            level=logging.WARNING)
    return state_dict


def is_torchscript_archive(path: str) -> bool:
    """Whether ``path`` is a TorchScript zip (``torch.load``'s own test: a
    ``constants.pkl`` record)."""
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as archive:
        return any(n.endswith('constants.pkl') for n in archive.namelist())
