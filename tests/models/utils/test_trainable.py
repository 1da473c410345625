# Copyright (c) mmvidlm authors. All rights reserved.
"""What a model trains is set when it is built (TrainableMixin), before any
wrapper: plain MMEngine optimizers and DDP need nothing more."""
import os.path as osp

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn
from mmengine.optim import build_optim_wrapper
from torch.nn.parallel import DistributedDataParallel

from mmvidlm.models.utils import TrainableMixin, trainable_groups
from mmvidlm.utils import register_all_modules

register_all_modules()


class Toy(TrainableMixin, nn.Module):
    """backbone (Linear, Dropout, Linear), neck (Linear, Dropout)."""
    trainable_aliases = dict(head=('neck', ))

    def __init__(self, trainable=None):
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Linear(4, 8), nn.Dropout(0.5), nn.Linear(8, 8))
        self.neck = nn.Sequential(nn.Linear(8, 2), nn.Dropout(0.5))
        self.apply_trainable(trainable)

    def forward(self, x):
        return self.neck(self.backbone(x))


class Outer(TrainableMixin, nn.Module):
    """A model whose part has its own spec (as a captioner's backbone)."""

    def __init__(self, trainable=None, inner=None):
        super().__init__()
        self.inner = Toy(inner)
        self.proj = nn.Linear(2, 2)
        self.other = nn.Linear(2, 2)
        self.apply_trainable(trainable)


class WithMomentumCopy(TrainableMixin, nn.Module):
    """A model with a momentum copy of a part (as BLIP's retriever)."""

    def __init__(self, trainable=None):
        super().__init__()
        from mmengine.model import ExponentialMovingAverage
        self.proj = nn.Linear(2, 2)
        self.proj_m = ExponentialMovingAverage(self.proj, momentum=0.005)
        self.apply_trainable(trainable)


def test_a_spec_never_unfreezes_a_momentum_copy():
    """'bias' selects every bias the model owns, but not those of its
    averaged copies (BitFit on a retriever with momentum encoders)."""
    model = WithMomentumCopy(['bias'])
    assert [n for n, p in model.named_parameters()
            if p.requires_grad] == ['proj.bias']
    assert model.trainable_groups == {'bias': ['proj.bias']}


def plain_optim_wrapper(model, **paramwise):
    return build_optim_wrapper(
        model,
        dict(
            optimizer=dict(type='AdamW', lr=1e-3, weight_decay=0.05),
            paramwise_cfg=paramwise))


def test_only_the_spec_trains_with_a_plain_optimizer():
    torch.manual_seed(0)
    model = Toy(['backbone.-1', 'head'])
    assert [n for n, p in model.named_parameters() if p.requires_grad] == [
        'backbone.2.weight', 'backbone.2.bias', 'neck.0.weight', 'neck.0.bias'
    ]
    optim_wrapper = plain_optim_wrapper(model)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    for _ in range(2):
        optim_wrapper.update_params(model(torch.randn(4, 4)).sum())
    changed = [
        k for k, v in model.state_dict().items() if not v.equal(before[k])
    ]
    assert changed == [
        'backbone.2.weight', 'backbone.2.bias', 'neck.0.weight', 'neck.0.bias'
    ]


def test_other_paramwise_options_still_apply():
    model = Toy(['backbone.2', 'neck'])
    optim_wrapper = plain_optim_wrapper(
        model, custom_keys={'neck': dict(lr_mult=10.)}, bias_decay_mult=0.)
    groups = {
        id(g['params'][0]): g
        for g in optim_wrapper.optimizer.param_groups
    }
    assert groups[id(model.neck[0].weight)]['lr'] == pytest.approx(1e-2)
    assert groups[id(model.backbone[2].bias)]['weight_decay'] == 0.


def test_an_entry_selecting_nothing_is_an_error():
    with pytest.raises(
            ValueError,
            match="trainable entry 'backbone.99' of Toy selects "
            'no parameter'):
        Toy(['neck', 'backbone.99'])
    with pytest.raises(ValueError, match="'neck.1'"):
        Toy(['neck.1'])  # a dropout: no parameter


def test_no_spec_trains_everything_and_an_empty_one_nothing():
    assert all(p.requires_grad for p in Toy().parameters())
    assert not any(p.requires_grad for p in Toy([]).parameters())


def test_bias_and_paths_across_a_list():
    model = Toy(['bias'])
    assert [n for n, p in model.named_parameters() if p.requires_grad
            ] == ['backbone.0.bias', 'backbone.2.bias', 'neck.0.bias']
    model = Toy(['backbone.weight'])  # every module of the list
    assert [n for n, p in model.named_parameters()
            if p.requires_grad] == ['backbone.0.weight', 'backbone.2.weight']


def test_frozen_parts_stay_in_eval_mode_across_epochs():
    model = Toy(['backbone.2', 'head'])
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
    model = Toy(['head'])
    model.train()
    features = model.backbone(x)
    assert not model.backbone[1].training
    torch.testing.assert_close(features, model.eval().backbone(x))


def test_a_part_with_its_own_spec_decides_for_itself():
    model = Outer(['proj'], inner=['head'])
    trained = [n for n, p in model.named_parameters() if p.requires_grad]
    assert trained == [
        'inner.neck.0.weight', 'inner.neck.0.bias', 'proj.weight', 'proj.bias'
    ]
    assert trainable_groups(model) == {
        ':proj': ['proj.weight', 'proj.bias'],
        'inner:head': ['inner.neck.0.weight', 'inner.neck.0.bias'],
    }
    model.train()  # the inner model keeps its frozen backbone in eval
    assert not model.inner.backbone.training and not model.other.training
    # an inner part without a spec trains whole, grouped by its name
    model = Outer(['proj'])
    assert trainable_groups(model)['inner'] == [
        n for n, _ in model.named_parameters() if n.startswith('inner.')
    ]


def _train_two_steps_under_ddp(rank, init_file, results):
    dist.init_process_group(
        'gloo', init_method='file://' + init_file, rank=rank, world_size=2)
    try:
        torch.manual_seed(0)
        # built frozen, then wrapped: DDP only waits for the trained ones
        model = DistributedDataParallel(Toy(['head']))
        optim_wrapper = plain_optim_wrapper(model)
        before = {k: v.clone() for k, v in model.state_dict().items()}
        for _ in range(2):  # a reducer waiting for frozen grads fails here
            loss = model(torch.randn(4, 4)).sum()
            optim_wrapper.update_params(loss)
        after = model.state_dict()
        results[rank] = [k for k in before if not before[k].equal(after[k])]
    finally:
        dist.destroy_process_group()


def test_ddp_reduces_only_trainable_params(tmp_path):
    """MMEngine wraps the (already frozen) model in DDP; no private DDP API
    is needed."""
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
        osp.dirname(__file__), '..', '..', '..', 'configs', 'peft',
        'tokenmix_vit-tiny_synthetic-motion.py')
    proc = run_tool(
        'train.py',
        config,
        '--work-dir',
        tmp_path,
        cfg_options=synthetic_options +
        ['train_cfg.max_epochs=1', 'train_cfg.val_interval=1'])
    # UP: the token-mixing layer; trainable: also the encoder's LP group.
    assert 'UP(visual): 0.05M  Trainable: 0.06M  Total: 0.61M' in proc.stdout
