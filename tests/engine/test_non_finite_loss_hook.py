# Copyright (c) mmvidlm authors. All rights reserved.
import pytest
import torch
import torch.nn as nn
from mmengine.model import BaseModel
from mmengine.runner import Runner

from mmvidlm.utils import register_all_modules
from mmvidlm.utils.checkpoint_pickle import load_from_local

register_all_modules()


class NaNAtCall(BaseModel):
    """A linear regressor whose loss is NaN at its ``nan_at``-th training
    forward (1-based)."""

    def __init__(self, nan_at):
        super().__init__()
        self.linear = nn.Linear(2, 1)
        self.nan_at = nan_at
        self.calls = 0

    def forward(self, inputs, labels=None, mode='tensor'):
        out = self.linear(torch.stack(inputs)).squeeze(1)
        if mode != 'loss':
            return out
        self.calls += 1
        loss = ((out - torch.stack(labels))**2).mean()
        return dict(loss=loss * float('nan') if self.calls == self.nan_at
                    else loss)


def run(work_dir, hook):
    data = [
        dict(inputs=torch.randn(2), labels=torch.randn(())) for _ in range(8)
    ]
    runner = Runner(
        model=NaNAtCall(nan_at=3),
        work_dir=str(work_dir),
        train_dataloader=dict(
            dataset=data,
            sampler=dict(type='DefaultSampler', shuffle=False),
            collate_fn=dict(type='pseudo_collate'),
            batch_size=2,
            num_workers=0),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1)),
        train_cfg=dict(by_epoch=False, max_iters=4),
        default_hooks=dict(
            checkpoint=dict(
                type='SafeCheckpointHook', by_epoch=False, interval=1),
            non_finite_loss=hook),
        default_scope='mmvidlm',
        experiment_name=f'nan_{hook["action"]}')
    return runner


def test_stop_names_iteration_and_keeps_weights_finite(tmp_path):
    runner = run(tmp_path, dict(type='NonFiniteLossHook', action='stop'))
    with pytest.raises(FloatingPointError, match='at iteration 3 '):
        runner.train()
    assert torch.isfinite(runner.model.linear.weight).all()
    assert runner.iter == 2
    saved = load_from_local(str(tmp_path / 'iter_2.pth'))['state_dict']
    assert all(torch.isfinite(v).all() for v in saved.values())
    assert not (tmp_path / 'iter_3.pth').exists()


def test_skip_drops_the_step(tmp_path):
    runner = run(
        tmp_path, dict(type='NonFiniteLossHook', action='skip', max_skips=1))
    runner.train()
    assert runner.iter == 4
    assert torch.isfinite(runner.model.linear.weight).all()
    log = open(next(tmp_path.glob('*/*.log'))).read()
    assert 'Non-finite loss (nan) at iteration 3 (epoch 1)' in log
    assert 'step skipped' in log


def test_action_is_checked():
    from mmvidlm.engine import NonFiniteLossHook
    with pytest.raises(ValueError, match="'stop' or 'skip'"):
        NonFiniteLossHook(action='ignore')
