# Copyright (c) mmvidlm authors. All rights reserved.
import pytest
import torch
import torch.nn as nn
from mmengine.hooks import Hook
from mmengine.model import BaseModel
from mmengine.runner import Runner

from mmvidlm.utils import register_all_modules
from mmvidlm.utils.checkpoint_pickle import load_from_local

register_all_modules()


class NaNAtCall(BaseModel):
    """A linear regressor whose loss (``nan='loss'``) or only gradients
    (``nan='grad'``: the loss stays finite, as with a huge learning rate)
    are NaN at its ``nan_at``-th training forward (1-based)."""

    def __init__(self, nan_at, nan='loss'):
        super().__init__()
        self.linear = nn.Linear(2, 1)
        self.nan_at = nan_at
        self.nan = nan
        self.calls = 0

    def forward(self, inputs, labels=None, mode='tensor'):
        out = self.linear(torch.stack(inputs)).squeeze(1)
        if mode != 'loss':
            return out
        self.calls += 1
        loss = ((out - torch.stack(labels))**2).mean()
        if self.calls == self.nan_at and self.nan == 'loss':
            loss = loss * float('nan')
        elif self.calls == self.nan_at and self.nan == 'grad':
            # 0 * sqrt(0): the value 0, the gradient 0 * inf = NaN
            loss = loss + 0 * torch.sqrt(self.linear.weight.sum() * 0)
            assert torch.isfinite(loss)
        return dict(loss=loss)


class BreakWeights(Hook):
    """Make a weight infinite after iteration ``at`` (as a step that
    overflows with finite gradients would)."""
    priority = 'VERY_HIGH'

    def __init__(self, at):
        self.at = at

    def after_train_iter(self,
                         runner,
                         batch_idx,
                         data_batch=None,
                         outputs=None):
        if runner.iter + 1 == self.at:
            with torch.no_grad():
                runner.model.linear.bias.fill_(float('inf'))


def run(work_dir, hook, nan='loss', custom_hooks=None):
    data = [
        dict(inputs=torch.randn(2), labels=torch.randn(())) for _ in range(8)
    ]
    runner = Runner(
        model=NaNAtCall(nan_at=3, nan=nan),
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
        custom_hooks=custom_hooks,
        default_scope='mmvidlm',
        experiment_name=f'nan_{work_dir.name}')
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


def saved_checkpoints_are_finite(work_dir) -> list:
    names = sorted(p.name for p in work_dir.glob('*.pth'))
    for name in names:
        saved = load_from_local(str(work_dir / name))['state_dict']
        assert all(torch.isfinite(v).all() for v in saved.values()), name
    return names


def test_nan_gradients_with_a_finite_loss_stop_before_the_update(tmp_path):
    runner = run(
        tmp_path, dict(type='NonFiniteLossHook', action='stop'), nan='grad')
    with pytest.raises(FloatingPointError) as error:
        runner.train()
    message = str(error.value)
    assert 'Non-finite gradients at iteration 3 ' in message
    assert f'the last checkpoint, {tmp_path / "iter_2.pth"}, is clean' in \
        message
    assert torch.isfinite(runner.model.linear.weight).all()
    assert saved_checkpoints_are_finite(tmp_path) == [
        'iter_1.pth', 'iter_2.pth'
    ]
    assert (tmp_path / 'last_checkpoint').read_text().endswith('iter_2.pth')


def test_nan_gradients_skip(tmp_path):
    runner = run(
        tmp_path,
        dict(type='NonFiniteLossHook', action='skip', max_skips=1),
        nan='grad')
    runner.train()
    assert runner.iter == 4
    assert len(saved_checkpoints_are_finite(tmp_path)) == 4
    log = open(next(tmp_path.glob('*/*.log'))).read()
    assert 'Non-finite gradients at iteration 3 (epoch 1)' in log


def test_non_finite_weights_are_never_saved(tmp_path):
    runner = run(
        tmp_path,
        dict(type='NonFiniteLossHook', action='stop'),
        nan=None,
        custom_hooks=[BreakWeights(at=3)])
    with pytest.raises(FloatingPointError) as error:
        runner.train()
    message = str(error.value)
    assert ('1 weight tensor(s) are not finite (e.g. linear.bias): the '
            'checkpoint of iteration 3 is not written') in message
    assert f'the last checkpoint, {tmp_path / "iter_2.pth"}, is clean' in \
        message
    assert saved_checkpoints_are_finite(tmp_path) == [
        'iter_1.pth', 'iter_2.pth'
    ]
    assert (tmp_path / 'last_checkpoint').read_text().endswith('iter_2.pth')


def test_stop_before_any_checkpoint_says_so(tmp_path):
    runner = run(
        tmp_path, dict(type='NonFiniteLossHook', action='stop'), nan='grad')
    runner.model.nan_at = 1
    with pytest.raises(FloatingPointError, match='no checkpoint was saved'):
        runner.train()


def test_skip_drops_the_step(tmp_path):
    runner = run(tmp_path,
                 dict(type='NonFiniteLossHook', action='skip', max_skips=1))
    runner.train()
    assert runner.iter == 4
    assert torch.isfinite(runner.model.linear.weight).all()
    log = open(next(tmp_path.glob('*/*.log'))).read()
    assert 'Non-finite loss (nan) at iteration 3 (epoch 1)' in log
    assert 'step skipped' in log


def test_all_finite_is_exact():
    from mmvidlm.engine.hooks.non_finite_loss_hook import all_finite
    huge = torch.full((4, ), 1e30)  # its L2 norm overflows float32
    assert all_finite([huge, torch.ones(3)])
    assert not all_finite([huge, torch.tensor([1.0, float('nan')])])
    assert not all_finite([torch.tensor([float('-inf')])])
    assert all_finite([])


def test_action_is_checked():
    from mmvidlm.engine import NonFiniteLossHook
    with pytest.raises(ValueError, match="'stop' or 'skip'"):
        NonFiniteLossHook(action='ignore')
