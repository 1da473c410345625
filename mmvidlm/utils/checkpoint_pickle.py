# Copyright (c) mmvidlm authors. All rights reserved.
"""The restricted unpickler of mmvidlm's checkpoint loading.

torch >= 2.6 loads with ``weights_only=True`` by default and MMEngine 0.10.7
does not pass the flag (open-mmlab/mmengine#1655), so an MMEngine checkpoint
(NumPy scalars and arrays in its message hub, ``HistoryBuffer`` objects)
does not load. Allow-listing NumPy's ``ndarray``/``dtype`` for torch's
``weights_only`` unpickler is not safe: that unpickler calls the real
``dtype.__setstate__`` and ``ndarray.__setstate__``, so a crafted file can
build an object dtype (or give ``float64`` an object field) and an array of
raw bytes read as object pointers, and ``ndarray(shape)`` returns
uninitialised memory.

This module is a ``pickle_module`` for :func:`torch.load`, used only by
MMEngine's local checkpoint loader (see :func:`register_checkpoint_loader`);
every other ``torch.load`` of the process keeps torch's own policy. It
resolves only the globals an MMEngine checkpoint needs, calls only those
that cannot build unsafe objects, and rebuilds NumPy objects through
checking stand-ins: plain numeric, bool and string dtypes only (fresh copies
whose pickled state must be the canonical one), arrays only from
``_reconstruct(ndarray, (0,), b'b')`` plus a state whose byte string has
exactly the array's size, scalars only from bytes of their dtype's size.
Every ``getattr`` in the file may only return ``HistoryBuffer`` statistics
methods (how MMEngine pickles them).
"""
import codecs
import math
import os.path as osp
import pickle
from collections import Counter, OrderedDict

import numpy as np
import torch

try:  # NumPy >= 2 (pickles name numpy._core; older files numpy.core)
    from numpy._core import multiarray as _multiarray
except ImportError:  # pragma: no cover (NumPy 1.x)
    from numpy.core import multiarray as _multiarray

UnpicklingError = pickle.UnpicklingError

#: Dtypes an array, a scalar or a dtype in a checkpoint may have: bool,
#: integers, floats, complex numbers, byte and unicode strings (their
#: sizes vary, e.g. 'U12'). No object, void (fields), datetime dtypes.
_PLAIN_KINDS = 'biufcSU'


def refuse(what: str) -> UnpicklingError:
    """The error for anything outside an MMEngine checkpoint."""
    return UnpicklingError(
        f'Checkpoint refused: {what}. mmvidlm loads only what an MMEngine '
        'checkpoint holds (tensors, containers, NumPy numbers, arrays and '
        'plain dtypes, HistoryBuffer); if you trust this file, load it '
        'yourself with torch.load(..., weights_only=False).')


def history_buffer_getattr(obj, name: str):
    """The only ``getattr`` a checkpoint may call: HistoryBuffer statistics.

    Args:
        obj: Must be :class:`mmengine.logging.HistoryBuffer` itself.
        name (str): One of its registered statistics methods.

    Returns:
        The unbound statistics method.

    Raises:
        pickle.UnpicklingError: For any other object or attribute.
    """
    from mmengine.logging import HistoryBuffer
    if obj is HistoryBuffer and isinstance(
            name, str) and name in ('min', 'max', 'mean', 'current'):
        return getattr(HistoryBuffer, name)
    raise refuse(f'it calls getattr({obj!r}, {name!r}); only HistoryBuffer '
                 'statistics methods may be resolved')


def _check_plain_dtype(dtype) -> np.dtype:
    """``dtype`` if it is a plain NumPy dtype that cannot hold objects."""
    if not (isinstance(dtype, np.dtype) and dtype.kind in _PLAIN_KINDS
            and not dtype.hasobject and dtype.names is None
            and dtype.subdtype is None and dtype.metadata is None):
        raise refuse(f'NumPy dtype {dtype!r} is not a plain numeric or '
                     'string dtype')
    return dtype


def safe_dtype(spec, align=False, copy=True) -> np.dtype:
    """``numpy.dtype(spec)`` for a plain dtype code such as ``'f8'``.

    Always a fresh copy (``copy=True``): the state the pickle applies next
    must not change NumPy's shared ``float64`` descriptor.
    """
    if not isinstance(spec, str):
        raise refuse(f'NumPy dtype built from {type(spec).__name__} '
                     f'{spec!r}, not from a type code')
    try:
        dtype = np.dtype(spec, align=bool(align), copy=True)
    except (TypeError, ValueError, OverflowError) as e:
        raise refuse(f'invalid NumPy dtype code {spec!r}') from e
    return _check_plain_dtype(dtype)


def safe_reconstruct(subtype, shape, typecode) -> np.ndarray:
    """NumPy's ``_reconstruct`` as ``ndarray.__reduce__`` calls it: an empty
    array that the pickled state fills (see :meth:`Unpickler.load_build`).
    """
    if subtype is not np.ndarray or tuple(shape) != (0, ) or typecode != b'b':
        raise refuse(f'_reconstruct({subtype!r}, {shape!r}, {typecode!r}) '
                     'is not how NumPy pickles an array')
    return np.empty((0, ), dtype=np.int8)


def safe_scalar(dtype, data=None):
    """NumPy's ``scalar(dtype, bytes)`` for a plain dtype."""
    _check_plain_dtype(dtype)
    if not isinstance(data, bytes) or len(data) != dtype.itemsize:
        raise refuse(f'NumPy {dtype} scalar from {type(data).__name__} '
                     f'of {len(data) if isinstance(data, bytes) else "?"} '
                     f'bytes instead of {dtype.itemsize}')
    return _multiarray.scalar(dtype, data)


def safe_encode(obj, encoding='utf-8', errors='strict') -> bytes:
    """``codecs.encode`` as pickle protocol 2 uses it for ``bytes``."""
    if not isinstance(obj, str) or encoding not in ('latin1', 'latin-1'):
        raise refuse(f'codecs.encode of {type(obj).__name__} with '
                     f'{encoding!r}')
    return codecs.encode(obj, 'latin1')


def _check_dtype_state(dtype: np.dtype, state) -> None:
    """The pickled state of ``dtype`` may only set its byte order."""
    canonical = dtype.__reduce__()[2]
    if not (isinstance(state, tuple) and len(state) == len(canonical)
            and state[0] == canonical[0] and state[1] in '<>|='
            and len(state[1]) == 1 and state[2:5] == (None, None, None)
            and state[5:] == canonical[5:]):
        raise refuse(f'NumPy dtype state {state!r} for {dtype!r} (fields, '
                     'sizes or flags of its own)')


def _check_array_state(array: np.ndarray, state) -> None:
    """The pickled state of a fresh array: plain dtype, all bytes given."""
    if type(array) is not np.ndarray or array.size or array.dtype != np.int8:
        raise refuse('an array state applied to an array that was not just '
                     'built by _reconstruct')
    if not (isinstance(state, tuple) and len(state) == 5 and state[0] == 1):
        raise refuse(f'NumPy array state of the form {type(state)}')
    _, shape, dtype, fortran, data = state
    _check_plain_dtype(dtype)
    if not (isinstance(shape, tuple)
            and all(type(s) is int and s >= 0
                    for s in shape) and len(shape) <= 64):
        raise refuse(f'NumPy array shape {shape!r}')
    if not isinstance(fortran, bool) or not isinstance(data,
                                                       (bytes, bytearray)):
        raise refuse('a NumPy array state without raw bytes')
    size = math.prod(shape) * dtype.itemsize
    if len(data) != size:
        raise refuse(f'a NumPy array of shape {shape} and dtype {dtype} '
                     f'from {len(data)} bytes instead of {size}')


def _allowed_globals() -> dict:
    """``{'module.name': object}`` an MMEngine checkpoint may name."""
    from mmengine.logging import HistoryBuffer
    names = {
        'collections.OrderedDict': OrderedDict,
        'collections.Counter': Counter,
        'builtins.set': set,
        'builtins.frozenset': frozenset,
        'builtins.complex': complex,
        'builtins.slice': slice,
        'builtins.getattr': history_buffer_getattr,
        '_codecs.encode': safe_encode,
        'codecs.encode': safe_encode,
        'torch.Size': torch.Size,
        'torch.device': torch.device,
        'torch.serialization._get_layout': torch.serialization._get_layout,
        'torch.nn.parameter.Parameter': torch.nn.Parameter,
        'mmengine.logging.history_buffer.HistoryBuffer': HistoryBuffer,
        'numpy.dtype': safe_dtype,
        # only as the first argument of _reconstruct, never called
        'numpy.ndarray': np.ndarray,
    }
    for rebuild in ('_rebuild_tensor', '_rebuild_tensor_v2',
                    '_rebuild_tensor_v3', '_rebuild_parameter'):
        names[f'torch._utils.{rebuild}'] = getattr(torch._utils, rebuild)
    for module in ('numpy.core.multiarray', 'numpy._core.multiarray'):
        names[f'{module}._reconstruct'] = safe_reconstruct
        names[f'{module}.scalar'] = safe_scalar
    kinds = (torch.dtype, torch.layout, torch.memory_format)
    for name in dir(torch):  # torch.float32, ... (values, not callables)
        if isinstance(getattr(torch, name), kinds):
            names[f'torch.{name}'] = getattr(torch, name)
    return names


class Unpickler(pickle._Unpickler):
    """A pure-Python unpickler that builds only MMEngine checkpoint objects.

    ``torch.load`` subclasses it (storages, persistent ids); the tensor data
    is not pickled, so the pickle itself is small and Python speed is fine.

    * ``find_class`` resolves only :func:`_allowed_globals`.
    * ``REDUCE``/``NEWOBJ`` call only allow-listed callables, never
      ``numpy.ndarray`` (uninitialised memory) nor a dtype class.
    * ``BUILD`` applies a state only to tensors, ``OrderedDict``,
      ``HistoryBuffer`` (attributes) and checked NumPy dtypes and arrays.
    """

    _globals = None
    dispatch = dict(pickle._Unpickler.dispatch)

    def find_class(self, module: str, name: str):
        if module == '__builtin__':  # protocol 2 spells builtins so
            module = 'builtins'
        if Unpickler._globals is None:
            Unpickler._globals = _allowed_globals()
        full_name = f'{module}.{name}'
        if full_name not in Unpickler._globals:
            raise refuse(f'it names the global {full_name}')
        return Unpickler._globals[full_name]

    def _check_callable(self, func) -> None:
        if func is np.ndarray or not any(
                func is g for g in Unpickler._globals.values()) or isinstance(
                    func, (torch.dtype, torch.layout, torch.memory_format)):
            raise refuse(f'it calls {func!r}')

    def load_reduce(self):
        args = self.stack.pop()
        self._check_callable(self.stack[-1])
        self.stack[-1] = self.stack[-1](*args)

    dispatch[pickle.REDUCE[0]] = load_reduce

    def load_newobj(self):
        args = self.stack.pop()
        cls = self.stack.pop()
        self._check_callable(cls)
        if not isinstance(cls, type):
            raise refuse(f'it instantiates {cls!r}')
        if cls is torch.nn.Parameter:
            self.append(torch.nn.Parameter(*args))
        else:
            self.append(cls.__new__(cls, *args))

    dispatch[pickle.NEWOBJ[0]] = load_newobj

    def load_refused(self):
        raise refuse('it uses a pickle instruction (INST, OBJ, NEWOBJ_EX) '
                     'that torch.save never writes')

    for _opcode in (pickle.INST, pickle.OBJ, pickle.NEWOBJ_EX):
        dispatch[_opcode[0]] = load_refused
    del _opcode

    def load_build(self):
        from mmengine.logging import HistoryBuffer
        state = self.stack.pop()
        inst = self.stack[-1]
        if isinstance(inst, np.dtype):
            _check_dtype_state(inst, state)
            inst.__setstate__(state)
            _check_plain_dtype(inst)
        elif type(inst) is np.ndarray:
            _check_array_state(inst, state)
            inst.__setstate__(state)
        elif type(inst) in (torch.Tensor, torch.nn.Parameter):
            inst.__setstate__(state)
        elif type(inst) in (OrderedDict, HistoryBuffer):
            if not (isinstance(state, dict)
                    and all(isinstance(k, str) for k in state)):
                raise refuse(f'the state {type(state).__name__} for a '
                             f'{type(inst).__name__}')
            inst.__dict__.update(state)
        else:
            raise refuse(f'it sets the state of a {type(inst).__name__}')

    dispatch[pickle.BUILD[0]] = load_build


def load(file, **kwargs):
    """``pickle.load`` with :class:`Unpickler` (torch's legacy format)."""
    return Unpickler(file, **kwargs).load()


def load_from_local(filename: str, map_location=None):
    """MMEngine's local checkpoint loader, through :class:`Unpickler`.

    Registered for local paths by :func:`register_checkpoint_loader`, so
    ``load_checkpoint``, ``Runner.load_checkpoint`` and ``Runner.resume``
    use it.

    Args:
        filename (str): A local checkpoint file.
        map_location: As in :func:`torch.load`.

    Returns:
        The checkpoint.

    Raises:
        pickle.UnpicklingError: Naming the file, if it holds anything else
            than an MMEngine checkpoint.
    """
    import sys
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    try:
        return torch.load(
            filename,
            map_location=map_location,
            pickle_module=sys.modules[__name__],
            weights_only=False)
    except UnpicklingError as e:
        raise UnpicklingError(f'{filename}: {e}') from None


def register_checkpoint_loader() -> None:
    """Make :func:`load_from_local` MMEngine's loader of local files.

    Only MMEngine's checkpoint loading changes; any other ``torch.load`` of
    the process keeps torch's ``weights_only`` policy (nothing is added to
    its safe globals).
    """
    from mmengine.runner import CheckpointLoader
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_from_local, force=True)
