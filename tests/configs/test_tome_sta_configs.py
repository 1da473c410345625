# Copyright (c) mmvidlm authors. All rights reserved.
"""ToMe and STA "following the settings described in their papers" (InTI
l.134; issue 12, item 10) cost InTI's GFLOPs within 2 % on every data set;
UCF101 / HMDB51 take Kinetics' choice."""
import functools
import os.path as osp

import pytest
from mmengine.config import Config

from tests.configs.test_model_index import load_tool
from tests.conftest import REPO_ROOT

INTI = 'configs/inti/vit-b_uniformerv2_{}.py'
METHOD = 'configs/compressive/{}_vit-b_uniformerv2_{}.py'


def config(path: str) -> Config:
    return Config.fromfile(osp.join(REPO_ROOT, path))


@functools.lru_cache()
def macs(path: str) -> int:
    """Multiply-adds of one view (the meta device: shapes only)."""
    from mmvidlm.utils import register_all_modules
    register_all_modules()
    return load_tool('get_flops').count(config(path))[1]


@pytest.mark.parametrize('method', ['tome', 'sta'])
@pytest.mark.parametrize('dataset', ['k400', 'ssv2'])
def test_gflops_within_2_percent_of_inti(method, dataset):
    assert macs(METHOD.format(method, dataset)) == pytest.approx(
        macs(INTI.format(dataset)), rel=0.02)


@pytest.mark.parametrize('method', ['tome', 'sta'])
@pytest.mark.parametrize('dataset', ['ucf101', 'hmdb51'])
def test_small_datasets_take_the_kinetics_choice(method, dataset):
    kinetics = config(METHOD.format(method, 'k400')).model.backbone
    backbone = config(METHOD.format(method, dataset)).model.backbone
    assert backbone.layer_cfgs == kinetics.layer_cfgs
    assert backbone.compressor is None


def test_paper_schedules():
    """ToMe in every block, STA after blocks 1, 5 and 9 (the second stage
    scoring frames last to first); every SSv2 block keeps its local MHRA."""
    from mmvidlm.registry import MODELS
    from mmvidlm.utils import register_all_modules
    register_all_modules()
    # ViT-B's 12 blocks, narrow and small for speed
    small = dict(
        arch=dict(
            embed_dims=24, num_layers=12, num_heads=2,
            feedforward_channels=48),
        img_size=32,
        patch_size=8)
    for dataset in ('k400', 'ssv2'):
        tome, sta = (
            MODELS.build({
                **config(METHOD.format(method, dataset)).model.backbone,
                **small
            }) for method in ('tome', 'sta'))
        assert {type(layer).__name__ for layer in tome.layers} == {'ToMeLayer'}
        assert len(tome.between_blocks) == len(sta.between_blocks) == 0
        assert all(layer.r > 0 for layer in tome.layers)
        stages = [(i, layer.reverse) for i, layer in enumerate(sta.layers)
                  if getattr(layer, 'r', 0)]
        assert stages == [(0, False), (4, True), (8, False)]
        for model in (tome, sta):
            assert all((getattr(layer, 'lmhra1', None) is not None) == (
                dataset == 'ssv2') for layer in model.layers)
