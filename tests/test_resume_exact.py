# Copyright (c) mmvidlm authors. All rights reserved.
"""A run killed in mid-epoch (SIGKILL) and resumed with ``--resume``
continues from its last checkpoint with the losses of an uninterrupted run.

Tiny run: 24 videos, batch 8 -> 3 iterations per epoch, 2 epochs; iteration
checkpoints every 4 iterations. The kill lands after iteration 5 (epoch 2,
second batch); the resumed run starts from ``iter_4.pth`` (epoch 2, first
batch done) and must reproduce iterations 5 and 6 exactly. MMEngine's own
epoch loop would restart epoch 2 from its first batch (different losses and
3 more iterations), and would draw dropout masks and crops from generators
re-seeded at the restart: mmvidlm's ``EpochBasedTrainLoop`` skips the batch
and, in deterministic mode, seeds each iteration from (seed, iteration).
"""
import glob
import json
import os
import os.path as osp
import signal
import subprocess
import sys

import pytest
import torch
import torch.nn as nn
from mmengine.hooks import Hook
from mmengine.model import BaseModel
from mmengine.registry import DATA_SAMPLERS
from mmengine.runner import Runner
from torch.utils.data import BatchSampler

from mmvidlm.utils import register_all_modules

register_all_modules()

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEMO_CONFIG = osp.join(REPO_ROOT, 'configs', 'demo',
                       'naive_vit-tiny_synthetic-motion.py')

KILL_HOOK = '''
import os
import signal

from mmengine.hooks import Hook
from mmengine.registry import HOOKS


@HOOKS.register_module()
class KillAfterIter(Hook):
    """SIGKILL the training process after iteration ``at`` is logged."""
    priority = 'LOWEST'

    def __init__(self, at):
        self.at = at

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if runner.iter + 1 == self.at:
            os.kill(os.getpid(), signal.SIGKILL)
'''

CONFIG = '''
_base_ = [{demo!r}]
# Dropout and in-process augmentation (num_workers=0) use the main process's
# random generators: the resumed run must draw what the uninterrupted did.
model = dict(cls_head=dict(dropout_ratio=0.5))
train_dataloader = dict(batch_size=8, num_workers=0)
# validation (after epoch 1) draws random numbers too
train_cfg = dict(max_epochs=2, val_interval=1)
default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(by_epoch=False, interval=4, save_best=None))
log_processor = dict(window_size=1, num_digits=12)
'''

KILLED_CONFIG = '''
_base_ = [{base!r}]
custom_imports = dict(imports=['kill_hook'], allow_failed_imports=False)
custom_hooks = [dict(type='KillAfterIter', at=5)]
'''


def logged_losses(work_dir: str) -> dict:
    """``{iteration: loss}`` of every scalars log under ``work_dir``."""
    losses = {}
    for path in sorted(glob.glob(f'{work_dir}/*/vis_data/scalars.json')):
        with open(path) as f:
            for line in f:
                record = json.loads(line)
                if 'loss' in record:
                    losses[record['iter']] = record['loss']
    return losses


def test_sigkill_mid_epoch_then_resume_matches_uninterrupted_run(
        tmp_path, run_tool, synthetic_options):
    (tmp_path / 'kill_hook.py').write_text(KILL_HOOK)
    config = tmp_path / 'tiny_resume.py'
    config.write_text(CONFIG.format(demo=DEMO_CONFIG))
    options = synthetic_options
    args = ['--deterministic', '--seed', '0']

    full = tmp_path / 'full'
    run_tool(
        'train.py', config, '--work-dir', full, *args, cfg_options=options)

    killed = tmp_path / 'killed'
    killed_config = tmp_path / 'tiny_resume_killed.py'
    killed_config.write_text(KILLED_CONFIG.format(base=str(config)))
    cmd = [
        sys.executable,
        osp.join(REPO_ROOT, 'tools', 'train.py'), killed_config, '--work-dir',
        killed, *args, '--cfg-options', *options
    ]
    env = dict(
        os.environ,
        CUDA_VISIBLE_DEVICES='',
        OMP_NUM_THREADS='1',
        PYTHONPATH=osp.pathsep.join([str(tmp_path), REPO_ROOT]))
    proc = subprocess.run(
        list(map(str, cmd)),
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stdout[-3000:]
    assert (killed / 'last_checkpoint').read_text().endswith('iter_4.pth')
    assert max(logged_losses(str(killed))) == 5

    resumed = run_tool(
        'train.py',
        config,
        '--work-dir',
        killed,
        '--resume',
        *args,
        cfg_options=options)
    reference = logged_losses(str(full))
    assert sorted(reference) == [1, 2, 3, 4, 5, 6]
    # The resumed run's records replace those the killed run logged.
    after_kill = {
        it: loss
        for it, loss in logged_losses(str(killed)).items() if it > 4
    }
    assert sorted(after_kill) == [5, 6]
    assert after_kill == {it: reference[it] for it in (5, 6)}
    assert osp.exists(killed / 'iter_6.pth')
    assert 'Resuming in the middle of epoch 2' in resumed.stdout


class CountingDataset(torch.utils.data.Dataset):
    """Eight samples; records every index it loads in ``LOADS`` (the runner
    deep-copies its data set)."""

    def __len__(self):
        return 8

    def __getitem__(self, idx):
        LOADS.append(idx)
        return dict(
            inputs=torch.full((2, ), float(idx)),
            labels=torch.tensor(float(idx % 3)))


class ToyRegressor(BaseModel):

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 1)

    def forward(self, inputs, labels=None, mode='tensor'):
        out = self.linear(torch.stack(inputs)).squeeze(1)
        if mode == 'loss':
            return dict(loss=((out - torch.stack(labels))**2).mean())
        return out


class Stop(BaseException):
    """Stands for SIGKILL."""


class StopAfterIter(Hook):
    priority = 'LOWEST'  # after the checkpoint of that iteration

    def __init__(self, at):
        self.at = at

    def after_train_iter(self,
                         runner,
                         batch_idx,
                         data_batch=None,
                         outputs=None):
        if runner.iter + 1 == self.at:
            raise Stop


LOADS = []


@DATA_SAMPLERS.register_module()
class OwnBatchSampler(BatchSampler):
    """A batch sampler class of its own (not torch's)."""

    def __init__(self, sampler, batch_size, drop_last=False):
        super().__init__(sampler, batch_size, drop_last)


def counting_runner(work_dir, resume=False, stop_at=None, batch_sampler=None):
    LOADS.clear()
    return Runner(
        model=ToyRegressor(),
        work_dir=str(work_dir),
        train_dataloader=dict(
            dataset=CountingDataset(),
            sampler=dict(type='DefaultSampler', shuffle=True),
            collate_fn=dict(type='pseudo_collate'),
            batch_sampler=batch_sampler,
            batch_size=2,
            num_workers=0),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01)),
        train_cfg=dict(type='EpochBasedTrainLoop', max_epochs=2),
        default_hooks=dict(
            checkpoint=dict(
                type='SafeCheckpointHook', by_epoch=False, interval=1)),
        custom_hooks=[StopAfterIter(stop_at)] if stop_at else None,
        resume=resume,
        default_scope='mmvidlm',
        experiment_name=f'counting_{work_dir.name}_{resume}',
        randomness=dict(seed=0))


@pytest.mark.parametrize('own_batch_sampler', [False, True])
def test_resume_mid_epoch_loads_no_trained_sample_again(
        tmp_path, own_batch_sampler):
    # 8 samples, batch 2: 4 iterations per epoch, 2 epochs (shuffled)
    batch_sampler = dict(type='OwnBatchSampler') if own_batch_sampler else None
    counting_runner(tmp_path / 'full', batch_sampler=batch_sampler).train()
    full = list(LOADS)
    assert len(full) == 16 and sorted(full[8:]) == list(range(8))
    with pytest.raises(Stop):  # after iteration 6: epoch 2, 2 batches done
        counting_runner(
            tmp_path / 'killed', stop_at=6,
            batch_sampler=batch_sampler).train()
    assert LOADS == full[:12]
    runner = counting_runner(
        tmp_path / 'killed', resume=True, batch_sampler=batch_sampler)
    runner.train()
    assert runner.iter == 8
    if own_batch_sampler:  # unknown to the loop: loaded, then dropped
        assert LOADS == full[8:]
    else:  # only the 2 remaining batches of epoch 2, as in the full run
        assert LOADS == full[12:]
