# Copyright (c) mmvidlm authors. All rights reserved.
import argparse
import csv
import math
import os.path as osp
import sys

import pytest

from mmvidlm.utils import register_all_modules

TOOLS = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'tools',
    'analysis_tools')
sys.path.insert(0, TOOLS)

from methods import load_methods  # noqa: E402
from synthetic_vl_benchmark import METRICS, build_config  # noqa: E402


def test_vl_benchmark_writes_table_csv_plot(run_tool, tmp_path):
    run_tool('analysis_tools/synthetic_vl_benchmark.py', '--tasks', 'qa',
             '--methods', 'InTI +', '--seeds', '0', '--iters', '2',
             '--pretrain-iters', '2', '--batch-size', '4', '--videos', '2',
             '1', '--workers', '1', '--data-root', tmp_path / 'data',
             '--out-dir', tmp_path)
    with open(tmp_path / 'synthetic_vl_benchmark.csv') as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert reader.fieldnames[:4] == ['task', 'method', 'family', 'seed']
    assert set(METRICS) <= set(reader.fieldnames)
    assert [(r['task'], r['method'])
            for r in rows] == [('qa', 'plain BLIP encoder'),
                               ('qa', 'InTI + token mixing')]
    for row in rows:
        for key in ('qa_acc', 'qa_direction_acc', 'qa_color_acc'):
            assert 0 <= float(row[key]) <= 100
        assert row['cider'] == row['t2v_r1'] == ''  # not run
        assert math.isfinite(float(row['gflops']))
    plain, inti_tm = (float(r['gflops']) for r in rows)
    # 8 -> 4 -> 2 frames before the last two of four blocks
    assert 0.6 < inti_tm / plain < 0.8
    table = (tmp_path / 'synthetic_vl_benchmark.md').read_text()
    assert '| InTI + token mixing | InTI + token mixing |' in table
    assert 'load average' in table
    # the combination against the plain encoder, paired by seed
    assert '- InTI + token mixing − plain BLIP encoder: GFLOPs × 0.7' in table
    assert 'QA direction acc (%) ' in table.split('paired by seed')[1]
    png = (tmp_path / 'synthetic_vl_benchmark.png').read_bytes()
    assert png.startswith(b'\x89PNG')


def _trained(cfg):
    from mmvidlm.registry import MODELS
    model = MODELS.build(cfg.model)
    return {n
            for n, p in model.named_parameters()
            if p.requires_grad}, {n
                                  for n, _ in model.named_parameters()}


@pytest.mark.parametrize('task', ['caption', 'retrieval', 'qa'])
def test_vl_benchmark_trains_what_the_configs_train(task, tmp_path):
    register_all_modules()
    args = argparse.Namespace(
        lr=1e-3, data_root=str(tmp_path), videos=(2, 1), batch_size=2)
    plain, tokenmix, inti, inti_tm = load_methods('vl')
    trained, names = _trained(
        build_config(tokenmix, task, 0, 1, args, str(tmp_path), False))
    if task == 'qa':  # the QA recipe trains everything
        assert trained == names
    else:
        # token mixing: its layer, lp and the task's groups; not block 0
        assert 'backbone.layers.3.attn.qkv.weight' in trained
        assert 'backbone.patch_embed.projection.weight' in trained
        assert 'backbone.layers.0.attn.qkv.weight' not in trained
        assert trained != names
    # the pre-training of the plain model trains everything
    trained, names = _trained(
        build_config(plain, task, 0, 1, args, str(tmp_path), True))
    assert trained == names
    cfg = build_config(inti_tm, task, 0, 1, args, str(tmp_path), False)
    assert cfg.model.backbone.type == 'InTIViT'
    assert cfg.model.backbone.inti_layers == (2, 3)
    assert cfg.model.backbone.layer_cfgs.type == 'TokenMixLayer'
    assert cfg.model.backbone.arch == 'tiny'
    assert 'TokenMixLayer' not in str(
        build_config(inti, task, 0, 1, args, str(tmp_path),
                     False).model.backbone.get('layer_cfgs'))
    if task == 'retrieval':  # re-ranked by ITM as the configs test
        assert cfg.model.itm_topk == 128 and cfg.model.itm_loss_weight == 1
    assert cfg.train_cfg.max_iters == 1 and cfg.val_cfg is None


def test_vl_benchmark_learning_rate_is_the_tasks_unless_given():
    from synthetic_vl_benchmark import task_lr
    assert task_lr('caption', argparse.Namespace(lr=None)) == 3e-3
    assert task_lr('qa', argparse.Namespace(lr=None)) == 1e-3
    assert task_lr('caption', argparse.Namespace(lr=5e-4)) == 5e-4
