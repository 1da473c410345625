# Copyright (c) mmvidlm authors. All rights reserved.
"""The InTI paper's recipes (issue 12, items 8, 9 and 12): the SSv2 models
follow UniFormerV2's SSv2 model (8 global UniBlocks, local MHRA) and cost
what the paper's Table 3 reports; every table row has its config."""
import os.path as osp

import pytest
from mmengine.config import Config

from tests.configs.test_model_index import MODELS, load_tool
from tests.conftest import REPO_ROOT

SSV2_UNIFORMERV2 = [
    'configs/inti/vit-b_uniformerv2_ssv2.py',
    'configs/naive/vit-b_uniformerv2_ssv2.py',
] + [
    f'configs/compressive/{method}_vit-b_uniformerv2_ssv2.py'
    for method in ('tome', 'sta', 'convpooling', 'linearpooling')
]
#: config: (GFLOPs, parameters in M) of InTI Table 3
PAPER_SSV2 = {
    'configs/inti/vit-b_uniformerv2_ssv2.py': (234, None),
    'configs/naive/vit-b_uniformerv2_ssv2.py': (371, 163),
}


def entry(config: str) -> dict:
    return next(m for m in MODELS if m['Config'] == config)


@pytest.mark.parametrize('config', SSV2_UNIFORMERV2)
def test_ssv2_models_are_uniformerv2s(config):
    backbone = Config.fromfile(osp.join(REPO_ROOT, config)).model.backbone
    assert backbone.global_uniblocks.num_layers == 8
    # ToMe / STA: their layer types with the local MHRA of every block
    # (tests/configs/test_tome_sta_configs.py)
    layer_cfgs = backbone.layer_cfgs
    if not isinstance(layer_cfgs, dict):
        layer_cfgs = layer_cfgs[0]
    assert layer_cfgs.type in ('LocalMHRALayer', 'ToMeLayer', 'STALayer')
    assert layer_cfgs.dw_reduction == 1.5 and layer_cfgs.double_lmhra
    assert entry(config)['Metadata']['Training Data'] == \
        'Something-Something V2'


@pytest.mark.parametrize('config', list(PAPER_SSV2))
def test_ssv2_costs_match_table_3(config):
    """Measured on the meta device (shapes only), within 1 % of the paper;
    the metafile holds the same measurement."""
    from mmvidlm.utils import register_all_modules
    register_all_modules()
    measured = load_tool('model_zoo_table').measure(
        Config.fromfile(osp.join(REPO_ROOT, config)))
    gflops, params = PAPER_SSV2[config]
    assert measured['FLOPs'] / 1e9 == pytest.approx(gflops, rel=0.01)
    if params is not None:
        assert measured['Parameters'] / 1e6 == pytest.approx(params, rel=0.01)
    meta = entry(config)['Metadata']
    assert (meta['FLOPs'], meta['Parameters']) == (measured['FLOPs'],
                                                   measured['Parameters'])


def test_every_table_row_has_a_config():
    configs = {m['Config'] for m in MODELS}
    for row in ('inti/vit-b_ssv2', 'naive/vit-b_ssv2', 'naive/vit-b_ucf101',
                'naive/vit-b_hmdb51', 'inti/vit-b_ucf101', 'inti/vit-b_hmdb51',
                'inti/vit-b_uniformerv2_ucf101',
                'inti/vit-b_uniformerv2_hmdb51'):
        assert f'configs/{row}.py' in configs
    for method in ('tome', 'sta', 'convpooling', 'linearpooling'):
        for dataset in ('k400', 'ssv2', 'ucf101', 'hmdb51'):
            assert (f'configs/compressive/{method}_vit-b_uniformerv2_'
                    f'{dataset}.py') in configs


def test_parameter_matching_predictor_width():
    """C' = C matches Table 2's 126 M of InTI-B + UniFormerV2 (C / 8, the
    default, matches its GFLOPs instead); figures measured into the
    metafile."""
    config = 'configs/inti/ablations/vit-b_uniformerv2_predictor-768_k400.py'
    cfg = Config.fromfile(osp.join(REPO_ROOT, config))
    assert cfg.model.backbone.compressor.reduced_dims == 768
    wide = entry(config)['Metadata']
    default = entry('configs/inti/vit-b_uniformerv2_k400.py')['Metadata']
    assert wide['Parameters'] / 1e6 == pytest.approx(126, rel=0.01)
    assert default['FLOPs'] / 1e9 == pytest.approx(184, rel=0.02)
    assert default['Parameters'] / 1e6 < 126 * 0.95
