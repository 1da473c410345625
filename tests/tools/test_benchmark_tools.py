# Copyright (c) mmvidlm authors. All rights reserved.
"""Smoke tests of the benchmark tools and the shared timing code."""
import csv
import os.path as osp
import re
import sys

import pytest
import torch

REPO = osp.join(osp.dirname(__file__), '..', '..')
# The timing library lives with the tools that use it.
sys.path.insert(0, osp.join(REPO, 'tools', 'analysis_tools'))
# isort: off
from benchmark import BenchmarkResult, TensorMemoryTracker  # noqa: E402
from benchmark import clip_shape, flop_utilisation  # noqa: E402
from benchmark import set_clip_shape  # noqa: E402
from e2e_throughput import pipeline_with_views  # noqa: E402
from methods import load_methods  # noqa: E402
# isort: on

NAIVE_TINY = osp.join(REPO, 'configs', 'demo',
                      'naive_vit-tiny_synthetic-motion.py')
INTI_TINY = osp.join(REPO, 'configs', 'demo',
                     'inti_vit-tiny_synthetic-motion.py')
LAST_LINE = re.compile(r'clips/s: (\S+)  latency_ms: (\S+)  '
                       r'peak_mem_mb: (\S+)')


def test_tensor_memory_tracker_follows_live_tensors():
    with TensorMemoryTracker() as tracker:
        a = torch.ones(1024, dtype=torch.float32)  # 4 KiB
        b = a * 2  # 4 KiB more
        del a, b
        c = torch.ones(256, dtype=torch.float32)  # 1 KiB
    assert tracker.peak_bytes == 8192
    assert tracker.live_bytes == 1024
    del c


def test_result_line_and_clip_shape():
    result = BenchmarkResult(2, [10., 30., 20.], peak_mem_mb=5.)
    assert result.latency_ms == 20.
    assert result.summary_line() == \
        'clips/s: 100.000  latency_ms: 20.00  peak_mem_mb: 5.0'
    model = dict(
        backbone=dict(type='UniFormerV2', t_size=8, input_resolution=224))
    assert clip_shape(set_clip_shape(model, 16, 112)) == (16, 112)
    assert model['backbone']['t_size'] == 8  # the input is not changed


def test_benchmark_prints_parseable_last_line(run_tool):
    for extra in ([], ['--train', '--batch-size', '2']):
        proc = run_tool('analysis_tools/benchmark.py', NAIVE_TINY, '--iters',
                        '2', '--warmup', '1', *extra)
        match = LAST_LINE.fullmatch(proc.stdout.strip().splitlines()[-1])
        assert match, proc.stdout[-500:]
        clips_per_s, latency, memory = map(float, match.groups())
        assert clips_per_s > 0 and latency > 0 and memory > 0


def test_compare_methods_writes_table(run_tool, tmp_path):
    out = tmp_path / 'table.md'
    run_tool('analysis_tools/compare_methods.py', '--frames', '4',
             '--img-size', '32', '--rounds', '1', '--methods', 'naive',
             'InTI-B (5', '--out', out)
    text = out.read_text()
    assert 'torch ' in text and 'load average' in text
    rows = [line for line in text.splitlines() if line.startswith('| ')]
    assert len(rows) == 3  # header and two methods
    assert '| naive ViT-B/16 |' in rows[1] and '| 1.000 |' in rows[1]
    assert 'InTI-B (5, 9) / naive ViT-B/16' in text
    assert 'same interleaved rounds' in text
    for row in rows[1:]:
        utilisation = row.split('|')[-2].strip()
        assert utilisation == 'n/a (> peak)' or \
            0 < int(utilisation.rstrip('%')) <= 100, row


def test_flop_utilisation_is_never_above_100_percent():
    # 1 GFLOP (MACs) at 100 clips/s = 0.2 TFLOP/s
    assert flop_utilisation(1., 100., 0.4) == 0.5
    assert flop_utilisation(1., 100., 0.2) == 1.0
    assert flop_utilisation(1., 100., 0.15) is None


def test_synthetic_benchmark_writes_table_csv_plot(run_tool, tmp_path):
    run_tool('analysis_tools/synthetic_benchmark.py', '--methods', 'BitFit',
             '--seeds', '0', '--iters', '2', '--pretrain-iters', '2',
             '--batch-size', '4', '--videos', '2', '1', '--workers', '1',
             '--data-root', tmp_path / 'data', '--out-dir', tmp_path)
    with open(tmp_path / 'synthetic_benchmark.csv') as f:
        rows = list(csv.DictReader(f))
    assert [r['method'] for r in rows] == ['naive', 'BitFit']
    for row in rows:
        for key in ('motion_acc', 'direction_acc', 'direction_bar_acc'):
            assert 0 <= float(row[key]) <= 1
        assert float(row['gflops']) > 0
    # BitFit trains the biases only: far fewer parameters than naive.
    assert int(rows[1]['updated_params_visual']) < \
        int(rows[0]['updated_params_visual']) / 10
    table = (tmp_path / 'synthetic_benchmark.md').read_text()
    assert '| BitFit | PEFT |' in table
    png = (tmp_path / 'synthetic_benchmark.png').read_bytes()
    assert png.startswith(b'\x89PNG')


def test_one_method_list_for_every_tool():
    speed = [m.name for m in load_methods('speed')]
    assert speed[0] == 'naive ViT-B/16' and 'InTI-B (5, 9)' in speed
    synthetic = load_methods('synthetic')
    assert synthetic[0].name == 'naive'
    # MMAction2's UniFormerV2 is timed but has no tiny version
    assert 'MMAction2 UniFormerV2-B/16' in speed
    assert all('UniFormerV2' != m.name for m in synthetic)
    for method in load_methods('speed') + synthetic:
        assert osp.exists(method.config_path), method
    assert [m.name for m in load_methods('synthetic', ['bitfit'])] == \
        ['BitFit']
    with pytest.raises(ValueError, match='match none of'):
        load_methods('speed', ['no such method'])


def test_benchmark_methods_come_from_the_method_index(monkeypatch):
    import methods
    index = set(_model_index().models_by_config())
    for method in load_methods('speed') + load_methods('synthetic'):
        assert method.config in index or method.config.startswith(
            methods.MMACTION_PREFIX), method
    # A config outside the index (an encoder base) is refused.
    monkeypatch.setattr(methods, 'METHODS', (methods.Method(
        'x',
        'PEFT',
        'configs/_base_/models/blip_encoders/bitfit_vit-b16.py',
        tiny={}), ))
    with pytest.raises(KeyError, match='no entry in the method index'):
        load_methods('synthetic')


def _model_index():
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        'model_index',
        osp.join(REPO, 'tools', 'analysis_tools', 'model_index.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_clip_length_scaling_fits_growth_per_frame(run_tool, tmp_path):
    out = tmp_path / 'scaling.md'
    run_tool('analysis_tools/clip_length_scaling.py', '--frames', '4', '8',
             '--img-size', '32', '--rounds', '1', '--methods', 'naive',
             'InTI-B (5', '--out', out)
    text = out.read_text()
    per_length = [
        line.split(' | ') for line in text.split('## Growth')[0].splitlines()
        if line.startswith('| naive') or line.startswith('| InTI')
    ]
    assert [(row[0], row[1])
            for row in per_length] == [('| naive ViT-B/16', '4'),
                                       ('| naive ViT-B/16', '8'),
                                       ('| InTI-B (5, 9)', '4'),
                                       ('| InTI-B (5, 9)', '8')]
    for row in per_length:  # latency, GFLOPs, tensors, forward RSS
        assert float(row[2]) > 0 and float(row[3]) > 0
        assert float(row[4]) > 0 and float(row[5].rstrip(' |')) >= 0
    growth = {
        line.split(' | ')[0][2:]: line.split(' | ')
        for line in text.split('## Growth')[1].splitlines()
        if line.startswith('| naive') or line.startswith('| InTI')
    }
    # GFLOPs grow linearly; InTI halves the frames after block 5
    assert growth['naive ViT-B/16'][4] == '1.000'
    assert 0.5 < float(growth['InTI-B (5, 9)'][4]) < 0.8
    assert (tmp_path / 'scaling.png').read_bytes().startswith(b'\x89PNG')


def test_views_set_in_the_test_pipeline():
    from mmengine.config import Config
    k400 = Config.fromfile(osp.join(REPO, 'configs', 'inti', 'vit-b_k400.py'))
    one = pipeline_with_views(k400, 1, 1)
    assert [t['type'] for t in one if 'Crop' in t['type']] == ['CenterCrop']
    assert next(t for t in one
                if t['type'] == 'UniformSample')['num_clips'] == 1
    k400_views = pipeline_with_views(k400, 4, 3)
    assert {t['type']: t for t in k400_views}['ThreeCrop']['crop_size'] == 224
    # the demo's pipeline resizes to 32x32 and has no crop to replace
    with pytest.raises(ValueError, match='no crop step'):
        pipeline_with_views(Config.fromfile(INTI_TINY), 1, 3)


def test_e2e_throughput_times_data_and_model(run_tool, tmp_path):
    out = tmp_path / 'e2e.md'
    run_tool('analysis_tools/e2e_throughput.py', INTI_TINY, '--views', '2x1',
             '--num-workers', '0', '1', '--num-videos', '2', '--long-seconds',
             '1', '--work-dir', tmp_path / 'videos', '--out', out)
    rows = [
        line.split(' | ') for line in out.read_text().splitlines()
        if line.startswith('| synthetic') or line.startswith('| long')
    ]
    assert len(rows) == 2 * 2  # sources x workers
    assert [r[1:3] for r in rows] == [['2×1', '0'], ['2×1', '1']] * 2
    for row in rows:
        videos_per_s, data_s, model_s = map(float, row[3:6])
        assert videos_per_s > 0 and data_s >= 0 and model_s > 0
        assert 0 <= int(row[6].rstrip('% |')) <= 100


def test_synthetic_benchmark_keeps_the_configs_layer_settings(tmp_path):
    """A tiny width override keeps the rest of the config's layer (the
    reference adapter's shape, the dense ST-Adapter convolution)."""
    import argparse

    from synthetic_benchmark import build_config
    args = argparse.Namespace(
        lr=1e-3, data_root=str(tmp_path), videos=(4, 4), batch_size=2)
    for name, expected in [
        ('Adapter', dict(bottleneck=8, placement='input', num_hidden=1)),
        ('ST-Adapter',
         dict(adapter_channels=32, depthwise=False, kernel_size=(3, 3, 3))),
    ]:
        method, = [
            m for m in load_methods('synthetic', [name]) if m.name == name
        ]
        cfg = build_config(method, 0, 1, args, str(tmp_path), None)
        layer_cfgs = cfg.model.backbone.layer_cfgs
        assert {k: layer_cfgs[k] for k in expected} == expected


def test_synthetic_tome_and_sta_follow_their_papers(tmp_path):
    """On the tiny ViT ToMe merges in every block and STA prunes after
    blocks 1, 2 and 3 of 4, within 3 % of tiny InTI + UniFormerV2's
    GFLOPs (issue 12, item 10)."""
    import argparse

    import torch
    from synthetic_benchmark import build_config

    from mmvidlm.registry import MODELS
    from mmvidlm.utils import register_all_modules
    from mmvidlm.utils.flops import count_macs
    register_all_modules()
    args = argparse.Namespace(
        lr=1e-3, data_root=str(tmp_path), videos=(4, 4), batch_size=2)
    clip = torch.zeros(1, 3, 8, 32, 32)
    macs, models = {}, {}
    for name in ('InTI + UniFormerV2 modules', 'ToMe', 'STA'):
        method, = [
            m for m in load_methods('synthetic', [name]) if m.name == name
        ]
        cfg = build_config(method, 0, 1, args, str(tmp_path), None)
        models[name] = MODELS.build(cfg.model.backbone).eval()
        macs[name] = count_macs(models[name], clip)
    assert [layer.r for layer in models['ToMe'].layers] == [3, 2, 2, 2]
    assert [getattr(layer, 'r', 0) for layer in models['STA'].layers] == \
        [3, 3, 3, 0]
    for name in ('ToMe', 'STA'):
        assert macs[name] == pytest.approx(
            macs['InTI + UniFormerV2 modules'], rel=0.03)


def test_every_synthetic_method_loads_the_pretrained_tiny_vit(tmp_path):
    """Every method starts from the pre-trained tiny ViT, even one whose new
    modules outweigh it (UniFormerV2's global UniBlocks: about half of the
    tiny backbone), which the loader refuses without ``allow_partial``."""
    import argparse

    import torch
    from synthetic_benchmark import TINY, build_config

    from mmvidlm.registry import MODELS
    from mmvidlm.utils import register_all_modules
    register_all_modules()
    vit = MODELS.build(dict(type='VideoViT', **TINY))
    checkpoint = str(tmp_path / 'vit.pth')
    torch.save(
        {
            'state_dict': {
                f'backbone.{k}': v
                for k, v in vit.state_dict().items()
            }
        }, checkpoint)
    args = argparse.Namespace(
        lr=1e-3, data_root=str(tmp_path), videos=(4, 4), batch_size=2)
    for method in load_methods('synthetic'):
        cfg = build_config(method, 0, 1, args, str(tmp_path), checkpoint)
        backbone = MODELS.build(cfg.model.backbone)
        backbone.init_weights()
        torch.testing.assert_close(
            backbone.patch_embed.projection.weight,
            vit.patch_embed.projection.weight,
            msg=method.name)
