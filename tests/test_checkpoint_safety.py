# Copyright (c) mmvidlm authors. All rights reserved.
"""Checkpoints: crafted pickles are refused, saving survives a kill."""
import builtins
import glob
import os
import os.path as osp

import numpy as np
import pytest
import torch
import torch.nn as nn
from mmengine.logging import MMLogger
from mmengine.model import BaseModel
from mmengine.runner import Runner, load_checkpoint

from mmvidlm.utils import register_all_modules

register_all_modules()


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


def toy_runner(work_dir, max_iters=3, resume=False, load_from=None,
               hook='SafeCheckpointHook', custom_hooks=None):
    data = [dict(inputs=torch.randn(2), labels=torch.randn(())) for _ in
            range(4)]
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
        train_cfg=dict(by_epoch=False, max_iters=max_iters),
        default_hooks=dict(
            logger=dict(type='LoggerHook', interval=1),
            checkpoint=dict(
                type=hook, by_epoch=False, interval=1, max_keep_ckpts=1)),
        custom_hooks=custom_hooks,
        resume=resume,
        load_from=load_from,
        default_scope='mmvidlm',
        experiment_name=f'toy_{osp.basename(str(work_dir))}_{resume}',
        randomness=dict(seed=0))


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
            torch.load(path, map_location='cpu')
            loads[osp.basename(path)] = True
        except Exception:
            loads[osp.basename(path)] = False
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        last = osp.basename(f.read())
    return dict(last=last, loads=loads)


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
            if state['armed'] and 'wb' in mode and name in str(file):
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
