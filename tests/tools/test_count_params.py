# Copyright (c) mmvidlm authors. All rights reserved.
"""The updated-parameter figures of the Token Mixing paper, BLIP ViT-B/16."""
import importlib.util
import os.path as osp
import re

import pytest
from mmengine.config import Config

from mmvidlm.models.utils import visual_updated_params
from mmvidlm.utils import register_all_modules

REPO = osp.join(osp.dirname(__file__), '..', '..')
ENCODERS = osp.join(REPO, 'configs', '_base_', 'models', 'blip_encoders')
TOKENMIX = osp.join(REPO, 'configs', 'tokenmix')

spec = importlib.util.spec_from_file_location(
    'count_params', osp.join(REPO, 'tools', 'analysis_tools',
                             'count_params.py'))
count_params = importlib.util.module_from_spec(spec)
spec.loader.exec_module(count_params)
register_all_modules()


def visual_up(config: str) -> float:
    """UP(visual) in millions of a config's encoder (its own spec): its
    updated parameters but the linear projection (LP) group."""
    cfg = Config.fromfile(config)
    cfg.model = dict(backbone=cfg.model.backbone)
    model = count_params.build_frozen_model(cfg)
    return visual_updated_params(model.backbone) / 1e6


@pytest.mark.parametrize('config, up', [
    (osp.join(ENCODERS, 'tokenmix_vit-b16.py'), 7.09),
    (osp.join(ENCODERS, 'temporal_ft_vit-b16.py'), 28.3),
    (osp.join(TOKENMIX, 'ablation-attn-lp-lh_blip-b_msvd-caption.py'), 2.36),
    (osp.join(TOKENMIX, 'ablation-ffn-lp-lh_blip-b_msvd-caption.py'), 4.72),
])
def test_paper_figures(config, up):
    assert visual_up(config) == pytest.approx(up, rel=0.01)


def test_count_params_prints_the_report(run_tool):
    proc = run_tool('analysis_tools/count_params.py',
                    osp.join(ENCODERS, 'bitfit_vit-b16.py'))
    lines = proc.stdout.strip().splitlines()
    assert re.fullmatch(r'backbone +85\.80M +0\.10M +visual encoder',
                        lines[-2])
    assert lines[-1] == 'UP(visual): 0.10M  Trainable: 0.10M  Total: 85.80M'
