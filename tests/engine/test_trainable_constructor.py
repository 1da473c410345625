# Copyright (c) mmvidlm authors. All rights reserved.
import os.path as osp

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn
from mmengine.optim import build_optim_wrapper
from torch.nn.parallel import DistributedDataParallel

from mmvidlm.utils import register_all_modules

register_all_modules()


class Toy(nn.Module):
    """backbone (frozen but its head), neck (trained)."""

    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Linear(4, 8), nn.Dropout(0.5), nn.Linear(8, 8))
        self.neck = nn.Sequential(nn.Linear(8, 2), nn.Dropout(0.5))

    def forward(self, x):
        return self.neck(self.backbone(x))


def build(model, trainable, **paramwise):
    return build_optim_wrapper(
        model,
        dict(
            constructor='TrainableParamsOptimWrapperConstructor',
            optimizer=dict(type='AdamW', lr=1e-3, weight_decay=0.05),
            paramwise_cfg=dict(trainable=trainable, **paramwise)))


def optimizer_params(optim_wrapper):
    return [
        p for group in optim_wrapper.optimizer.param_groups
        for p in group['params']
    ]


def test_optimizer_holds_only_trainable_params():
    model = Toy()
    optim_wrapper = build(
        model, dict(visual=r'backbone\.2\.', head=[r'neck\.']))
    trainable = [p for p in model.parameters() if p.requires_grad]
    assert [id(p) for p in optimizer_params(optim_wrapper)] == \
        [id(p) for p in trainable]
    assert [n for n, p in model.named_parameters() if p.requires_grad] == [
        'backbone.2.weight', 'backbone.2.bias', 'neck.0.weight', 'neck.0.bias'
    ]


def test_other_paramwise_options_still_apply():
    model = Toy()
    optim_wrapper = build(
        model,
        dict(visual=[r'backbone\.2\.', r'neck\.']),
        custom_keys={'neck': dict(lr_mult=10.)},
        bias_decay_mult=0.)
    groups = {
        id(g['params'][0]): g
        for g in optim_wrapper.optimizer.param_groups
    }
    assert len(groups) == 4
    assert groups[id(model.neck[0].weight)]['lr'] == pytest.approx(1e-2)
    assert groups[id(model.backbone[2].bias)]['weight_decay'] == 0.


def test_a_pattern_matching_nothing_is_an_error():
    with pytest.raises(ValueError, match=r"'backbone\\\\.layers\\\\.99'"):
        build(Toy(), dict(visual=[r'neck\.', r'backbone\.layers\.99']))


def test_no_trainable_key_trains_everything():
    model = Toy()
    optim_wrapper = build_optim_wrapper(
        model,
        dict(
            constructor='TrainableParamsOptimWrapperConstructor',
            optimizer=dict(type='SGD', lr=0.1)))
    assert len(optimizer_params(optim_wrapper)) == 6
    assert all(p.requires_grad for p in model.parameters())


def test_frozen_parts_stay_in_eval_mode_across_epochs():
    model = Toy()
    build(model, dict(visual=r'backbone\.2\.', head=r'neck\.'))
    frozen_linear, dropout = model.backbone[0], model.backbone[1]
    # backbone.0 is frozen, but backbone's own dropout is not inside a
    # frozen part (backbone.2 trains), so only backbone.0 is kept in eval.
    x = torch.ones(16, 4)
    for _ in range(2):  # what every training epoch starts with
        model.train()
        model(x)
        assert not frozen_linear.training
        assert dropout.training and model.neck[1].training
    # all frozen: the dropout inside stops dropping
    model = Toy()
    build(model, dict(head=r'neck\.'))
    model.train()
    features = model.backbone(x)
    assert not model.backbone[1].training
    torch.testing.assert_close(features, model.eval().backbone(x))


def _train_two_steps_under_ddp(rank, init_file, results):
    dist.init_process_group(
        'gloo', init_method='file://' + init_file, rank=rank, world_size=2)
    try:
        torch.manual_seed(0)
        model = DistributedDataParallel(Toy())
        optim_wrapper = build(model, dict(head=r'neck\.'))
        before = {k: v.clone() for k, v in model.state_dict().items()}
        for _ in range(2):  # a stale reducer fails at the second step
            loss = model(torch.randn(4, 4)).sum()
            optim_wrapper.update_params(loss)
        after = model.state_dict()
        results[rank] = [k for k in before if not before[k].equal(after[k])]
    finally:
        dist.destroy_process_group()


def test_ddp_reduces_only_trainable_params(tmp_path):
    """MMEngine wraps the model in DDP before it builds the optimizer."""
    results = mp.Manager().dict()
    mp.start_processes(
        _train_two_steps_under_ddp,
        args=(str(tmp_path / 'rendezvous'), results),
        nprocs=2,
        start_method='fork')
    assert dict(results) == {
        rank: ['module.neck.0.weight', 'module.neck.0.bias']
        for rank in range(2)
    }


def test_training_logs_the_updated_parameters(run_tool, synthetic_options,
                                              tmp_path):
    config = osp.join(
        osp.dirname(__file__), '..', '..', 'configs', 'peft',
        'tokenmix_vit-tiny_synthetic-motion.py')
    proc = run_tool(
        'train.py',
        config,
        '--work-dir',
        tmp_path,
        cfg_options=synthetic_options +
        ['train_cfg.max_epochs=1', 'train_cfg.val_interval=1'])
    assert 'UP(visual): 0.05M  Trainable: 0.05M  Total: 0.61M' in proc.stdout
