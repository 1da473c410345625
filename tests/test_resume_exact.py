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
    run_tool('train.py', config, '--work-dir', full, *args,
             cfg_options=options)

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
