# Copyright (c) mmvidlm authors. All rights reserved.
"""Checkpoints: crafted pickles are refused, saving survives a kill."""
import builtins
import glob
import os
import os.path as osp
import pickle
import subprocess
import sys

import numpy as np
import pytest
import torch
import torch.nn as nn
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger
from mmengine.model import BaseModel
from mmengine.runner import Runner, load_checkpoint
from numpy._core.multiarray import _reconstruct

from mmvidlm.engine.hooks import atomic_write, checkpoint_hook
from mmvidlm.engine.hooks.checkpoint_hook import TMP_SUFFIX
from mmvidlm.utils import register_all_modules
from mmvidlm.utils.checkpoint_pickle import load_from_local

register_all_modules()
TESTS_DIR = osp.dirname(osp.abspath(__file__))
REPO_ROOT = osp.dirname(TESTS_DIR)
DEMO_CONFIG = osp.join(REPO_ROOT, 'configs', 'demo',
                       'naive_vit-tiny_synthetic-motion.py')


class ToyModel(BaseModel):

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 1)

    def forward(self, inputs, labels=None, mode='tensor'):
        out = self.linear(torch.stack(inputs))
        if mode == 'loss':
            loss = ((out.squeeze(1) - torch.stack(labels))**2).mean()
            return dict(loss=loss)
        return out


class RisingScore(BaseMetric):
    """A validation metric that improves at every evaluation."""

    def __init__(self):
        super().__init__()
        self.evaluations = 0

    def process(self, data_batch, data_samples):
        self.results.append(0)

    def compute_metrics(self, results):
        self.evaluations += 1
        return dict(score=float(self.evaluations))


def toy_runner(work_dir,
               max_iters=3,
               resume=False,
               load_from=None,
               hook='SafeCheckpointHook',
               custom_hooks=None,
               save_best=None):
    data = [
        dict(inputs=torch.randn(2), labels=torch.randn(())) for _ in range(4)
    ]
    val = {}
    if save_best:
        val = dict(
            val_dataloader=dict(
                dataset=data,
                sampler=dict(type='DefaultSampler', shuffle=False),
                collate_fn=dict(type='pseudo_collate'),
                batch_size=2),
            val_evaluator=[RisingScore()],
            val_cfg=dict())
    return Runner(
        model=ToyModel(),
        work_dir=str(work_dir),
        train_dataloader=dict(
            dataset=data,
            sampler=dict(type='DefaultSampler', shuffle=False),
            collate_fn=dict(type='pseudo_collate'),
            batch_size=2,
            num_workers=0),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01)),
        train_cfg=dict(by_epoch=False, max_iters=max_iters, val_interval=2),
        default_hooks=dict(
            logger=dict(type='LoggerHook', interval=1),
            checkpoint=dict(
                type=hook,
                by_epoch=False,
                interval=1,
                max_keep_ckpts=1,
                save_best=save_best,
                rule='greater')),
        custom_hooks=custom_hooks,
        resume=resume,
        load_from=load_from,
        default_scope='mmvidlm',
        experiment_name=f'toy_{osp.basename(str(work_dir))}_{resume}',
        randomness=dict(seed=0),
        **val)


class CodeExecution:
    """Unpickling it runs ``touch marker`` (the classic pickle attack)."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f'touch {self.marker}', )


class GetattrGadget:
    """Unpickling it calls ``getattr(ndarray, 'tofile')(marker)``: only
    allow-listed globals (ndarray) plus ``getattr`` on another object,
    enough to write any file if ``builtins.getattr`` were allow-listed."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return np.arange(3).tofile, (self.marker, )


@pytest.mark.parametrize('gadget', [CodeExecution, GetattrGadget])
def test_crafted_checkpoint_is_refused(tmp_path, gadget):
    marker = tmp_path / 'pwned'
    path = tmp_path / 'evil.pth'
    torch.save(
        dict(state_dict=ToyModel().state_dict(), meta=gadget(str(marker))),
        path)
    with pytest.raises(Exception, match='(?i)unpickl|weights only|refused'):
        load_checkpoint(ToyModel(), str(path))
    runner = toy_runner(tmp_path / 'work', resume=True, load_from=str(path))
    with pytest.raises(Exception, match='(?i)unpickl|weights only|refused'):
        runner.train()
    assert not marker.exists()
    # The gadget is real: an unrestricted load runs it.
    torch.load(path, weights_only=False)
    assert marker.exists()


class Call:
    """Pickles as ``func(*args)``, then ``__setstate__(state)`` if given:
    any sequence of allow-listed calls a crafted file can hold."""

    def __init__(self, func, args, state=None):
        self.reduced = (func, args) if state is None else (func, args, state)

    def __reduce__(self):
        return self.reduced


def raw_bytes_array(dtype, shape, data):
    """``ndarray.__reduce__``'s form with any dtype, shape and bytes."""
    return Call(_reconstruct, (np.ndarray, (0, ), b'b'),
                (1, shape, dtype, False, data))


def dtype_with_state(code, state, copy=True):
    return Call(np.dtype, (code, False, copy), state)


def crafted_numpy_payloads() -> dict:
    """NumPy payloads that an allow-list of ndarray/dtype lets through."""
    pointers = b'\x41' * 16  # two "object pointers" 0x4141...
    return {
        # object dtype pickled as raw bytes: flags without NPY_LIST_PICKLE
        # (what SIGSEGVs under torch's weights_only with numpy allow-listed)
        'object_pointers':
        raw_bytes_array(
            dtype_with_state('O', (3, '|', None, None, None, 8, 8, 0x3d)),
            (2, ), pointers),
        'object_dtype':
        raw_bytes_array(np.dtype('O'), (2, ), pointers),
        # float64 given an object field, or object flags, by its state
        'float64_object_field':
        raw_bytes_array(
            dtype_with_state('f8', (3, '|', None, ('a', ), {
                'a': (np.dtype('O'), 0)
            }, 8, 8, 0x3f)), (2, ), pointers),
        'float64_object_flags':
        raw_bytes_array(
            dtype_with_state('f8', (3, '<', None, None, None, -1, -1, 0x3f)),
            (2, ), pointers),
        'float64_int_field':
        raw_bytes_array(
            dtype_with_state('f8', (3, '|', None, ('a', ), {
                'a': (np.dtype('i8'), 0)
            }, 8, 8, 0)), (2, ), pointers),
        'structured_code':
        Call(np.dtype, ('f8,O', False, True)),
        # copy=False: its state must not reach NumPy's shared float64
        'shared_float64_descriptor':
        dtype_with_state(
            'f8', (3, '>', None, None, None, -1, -1, 0), copy=False),
        # uninitialised heap memory: ndarray(shape), too few bytes
        'uninitialised':
        Call(np.ndarray, ((1 << 16, ), )),
        'short_bytes':
        raw_bytes_array(np.dtype('f8'), (1 << 16, ), b'\0'),
    }


def write_crafted_checkpoints(folder) -> dict:
    """``{name: path}``: an MMEngine-like checkpoint with each payload."""
    paths = {}
    for name, payload in crafted_numpy_payloads().items():
        paths[name] = osp.join(folder, f'{name}.pth')
        torch.save(
            dict(
                meta=dict(epoch=1, iter=2, payload=payload),
                state_dict=ToyModel().state_dict()), paths[name])
    return paths


LOAD_CRAFTED = r"""
import sys
import torch
sys.path.insert(0, {tests!r})
from mmengine.runner import load_checkpoint
from test_checkpoint_safety import ToyModel, toy_runner
for name, path in {paths!r}.items():
    for how in ('load_checkpoint', 'resume', 'weights_only'):
        try:
            if how == 'load_checkpoint':
                load_checkpoint(ToyModel(), path)
            elif how == 'resume':
                toy_runner({work!r}, resume=True, load_from=path).train()
            else:
                torch.load(path, weights_only=True)
            print('LOADED', name, how, flush=True)
        except Exception as e:
            print('REFUSED', name, how, repr(str(e)[:300]), flush=True)
"""


def test_crafted_numpy_payloads_are_refused(tmp_path):
    paths = write_crafted_checkpoints(tmp_path)
    del paths['shared_float64_descriptor']  # loads (see below)
    code = LOAD_CRAFTED.format(
        tests=TESTS_DIR, paths=paths, work=str(tmp_path / 'work'))
    # In a subprocess: memory corruption fails the test, not pytest.
    proc = subprocess.run([sys.executable, '-c', code],
                          cwd=REPO_ROOT,
                          env=dict(os.environ, PYTHONPATH=REPO_ROOT),
                          stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT,
                          text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:]
    lines = [
        ln for ln in proc.stdout.splitlines()
        if ln.startswith(('LOADED', 'REFUSED'))
    ]
    assert len(lines) == 3 * len(paths), proc.stdout[-3000:]
    for line in lines:
        assert line.startswith('REFUSED'), line
        if 'weights_only' not in line:
            # names the file and what was refused
            assert 'Checkpoint refused' in line and '.pth' in line, line


def test_refusals_name_the_reason(tmp_path):
    paths = write_crafted_checkpoints(tmp_path)
    reasons = {
        'object_pointers': "dtype('O') is not a plain",
        'object_dtype': "dtype('O') is not a plain",
        'float64_object_field': "dtype('O') is not a plain",
        'float64_object_flags': 'flags of its own',
        'float64_int_field': 'flags of its own',
        'structured_code': 'is not a plain',
        'shared_float64_descriptor': None,  # loads: a fresh copy is used
        'uninitialised': "calls <class 'numpy.ndarray'>",
        'short_bytes': 'from 1 bytes instead of 524288',
    }
    assert sorted(reasons) == sorted(paths)
    for name, reason in reasons.items():
        if reason is None:
            continue
        with pytest.raises(pickle.UnpicklingError) as error:
            load_from_local(paths[name])
        assert paths[name] in str(error.value)
        assert reason in str(error.value), (name, str(error.value))
    # A private copy of the descriptor takes the state (copy=False ignored).
    shared = np.dtype('f8')
    loaded = load_from_local(paths['shared_float64_descriptor'])
    assert loaded['meta']['payload'] == np.dtype('>f8')
    assert np.dtype('f8') is shared and shared.byteorder == '='


def test_crafted_checkpoint_crashes_under_a_numpy_allow_list(tmp_path):
    """The payload is real: with numpy allow-listed for torch's
    ``weights_only`` (mmvidlm's former policy), loading it SIGSEGVs."""
    path = write_crafted_checkpoints(tmp_path)['object_pointers']
    code = f"""
import numpy as np, torch
from numpy._core import multiarray
torch.serialization.add_safe_globals(
    [np.ndarray, np.dtype, multiarray._reconstruct, type(np.dtype('O'))])
print(torch.load({path!r}, weights_only=True))
"""
    proc = subprocess.run([sys.executable, '-c', code],
                          stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT,
                          timeout=120)
    assert proc.returncode < 0, proc.stdout[-2000:]


def test_train_tool_refuses_crafted_resume(tmp_path, synthetic_options):
    path = write_crafted_checkpoints(tmp_path)['object_pointers']
    cmd = [
        sys.executable,
        osp.join(REPO_ROOT, 'tools', 'train.py'), DEMO_CONFIG, '--work-dir',
        str(tmp_path / 'work'), '--resume', path, '--cfg-options',
        *synthetic_options
    ]
    proc = subprocess.run(
        cmd,
        cwd=REPO_ROOT,
        env=dict(
            os.environ,
            PYTHONPATH=REPO_ROOT,
            CUDA_VISIBLE_DEVICES='',
            OMP_NUM_THREADS='1'),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300)
    assert proc.returncode == 1, proc.stdout[-3000:]
    assert f'{path}: Checkpoint refused' in proc.stdout, proc.stdout[-3000:]


def test_other_torch_loads_are_not_widened(tmp_path):
    """Only MMEngine's checkpoint loader accepts NumPy objects; a plain
    ``torch.load(weights_only=True)`` in the same process refuses them."""
    path = tmp_path / 'numpy.pth'
    torch.save(dict(x=np.arange(3.0), y=np.float64(1)), path)
    with pytest.raises(pickle.UnpicklingError, match='(?i)weights only'):
        torch.load(path, weights_only=True)
    assert not any('numpy' in str(g)
                   for g in torch.serialization.get_safe_globals())
    loaded = load_from_local(str(path))
    np.testing.assert_array_equal(loaded['x'], np.arange(3.0))
    assert loaded['y'] == 1.0 and type(loaded['y']) is np.float64


def test_real_checkpoint_resumes(tmp_path):
    toy_runner(tmp_path, max_iters=2).train()
    runner = toy_runner(tmp_path, max_iters=3, resume=True)
    runner.train()
    assert runner.iter == 3
    # Both runs log under timestamped folders (the same one when they start
    # within a second); only the resumed run can write this line.
    logs = sorted(glob.glob(f'{tmp_path}/*/*.log'))
    assert logs
    assert any('Auto resumed from the latest checkpoint' in open(log).read()
               for log in logs)


class Killed(BaseException):
    """Stands for SIGKILL: nothing of the run continues."""


def checkpoints_on_disk(work_dir) -> dict:
    """What a run resumed right now would find: ``last_checkpoint`` and
    whether every ``*.pth`` file loads."""
    loads = {}
    for path in glob.glob(f'{work_dir}/*.pth'):
        try:
            load_from_local(path, map_location='cpu')
            loads[osp.basename(path)] = True
        except Exception:
            loads[osp.basename(path)] = False
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        last = osp.basename(f.read())
    return dict(last=last, loads=loads)


def best_checkpoints(work_dir) -> dict:
    """``{name: loads}`` of the best checkpoints in ``work_dir``."""
    return {
        name: loads
        for name, loads in checkpoints_on_disk(work_dir)['loads'].items()
        if name.startswith('best_')
    }


@pytest.fixture
def kill_while_writing(monkeypatch):
    """Kill the process (:class:`Killed`) after half the bytes of the file
    whose path contains ``name`` are on disk; record the state of the work
    dir at that instant. Only the first such write is killed."""
    real_open = builtins.open
    state = {}

    def arm(name, work_dir):

        class HalfWrittenFile:

            def __init__(self, f):
                self.f = f

            def write(self, data):
                self.f.write(bytes(data)[:len(data) // 2])
                self.f.flush()
                state.update(checkpoints_on_disk(work_dir), armed=False)
                raise Killed

            def __getattr__(self, key):
                return getattr(self.f, key)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return self.f.__exit__(*exc)

        def fake_open(file, mode='r', *args, **kwargs):
            f = real_open(file, mode, *args, **kwargs)
            if state['armed'] and mode in ('wb', 'xb') and name in str(file):
                return HalfWrittenFile(f)
            return f

        state['armed'] = True
        monkeypatch.setattr(builtins, 'open', fake_open)
        return state

    return arm


def test_kill_during_save_keeps_last_checkpoint(tmp_path, kill_while_writing):
    state = kill_while_writing('iter_3', tmp_path)
    with pytest.raises(Killed):
        toy_runner(tmp_path, max_iters=4).train()
    # At the instant of the kill: last_checkpoint names a checkpoint that
    # loads, and no file under a checkpoint name is half-written.
    assert state['last'] == 'iter_2.pth'
    assert state['loads'] == {'iter_2.pth': True}
    MMLogger._instance_dict.clear()
    runner = toy_runner(tmp_path, max_iters=4, resume=True)
    runner.train()  # resumes from iter_2 and finishes
    assert runner.iter == 4
    assert checkpoints_on_disk(tmp_path) == dict(
        last='iter_4.pth', loads={'iter_4.pth': True})


def test_kill_while_saving_a_new_best_keeps_the_old_best(
        tmp_path, kill_while_writing):
    # validation (score 1, 2, ...) after iterations 2 and 4
    state = kill_while_writing('best_score_iter_4', tmp_path)
    with pytest.raises(Killed):
        toy_runner(tmp_path, max_iters=4, save_best='score').train()
    assert {
        k: v
        for k, v in state['loads'].items() if k.startswith('best')
    } == {
        'best_score_iter_2.pth': True
    }
    MMLogger._instance_dict.clear()
    runner = toy_runner(tmp_path, max_iters=6, save_best='score')
    runner.train()  # a fresh run replaces the best each time, and removes it
    assert best_checkpoints(tmp_path) == {'best_score_iter_6.pth': True}


def test_stale_temporary_files_are_removed_on_resume(tmp_path):
    toy_runner(tmp_path, max_iters=2).train()
    # what SIGKILLed writes leave (a kill skips atomic_write's cleanup)
    stale = [
        tmp_path / f'.iter_3.pth.0123456789abcdef{TMP_SUFFIX}',
        tmp_path / f'.last_checkpoint.fedcba9876543210{TMP_SUFFIX}'
    ]
    for path in stale:
        path.write_bytes(b'half a checkpoint')
    other = tmp_path / '.keep'
    other.write_text('not ours')
    MMLogger._instance_dict.clear()
    runner = toy_runner(tmp_path, max_iters=3, resume=True)
    runner.train()
    assert runner.iter == 3
    assert not any(path.exists() for path in stale)
    assert other.exists()
    assert not glob.glob(f'{tmp_path}/.*{TMP_SUFFIX}')


def test_temporary_file_is_created_exclusively(tmp_path, monkeypatch):
    victim = tmp_path / 'victim'
    victim.write_bytes(b'precious')
    path = tmp_path / 'iter_1.pth'
    # the former predictable name, and the next random one, are symlinks
    os.symlink(victim, tmp_path / f'.iter_1.pth.{os.getpid()}.tmp')
    tokens = iter(['aaaa', 'bbbb'])
    monkeypatch.setattr(checkpoint_hook.secrets, 'token_hex',
                        lambda n: next(tokens))
    os.symlink(victim, tmp_path / f'.iter_1.pth.aaaa{TMP_SUFFIX}')
    atomic_write(b'checkpoint', str(path))
    assert path.read_bytes() == b'checkpoint'
    assert victim.read_bytes() == b'precious'
    assert not (tmp_path / f'.iter_1.pth.bbbb{TMP_SUFFIX}').exists()
    # the umask decides the permissions, as for any new file
    umask = os.umask(0)
    os.umask(umask)
    assert os.stat(path).st_mode & 0o777 == 0o666 & ~umask
