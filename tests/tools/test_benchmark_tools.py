# Copyright (c) mmvidlm authors. All rights reserved.
"""Smoke tests of the benchmark tools and the shared timing code."""
import csv
import os.path as osp
import re

import torch

from mmvidlm.utils.benchmark import (BenchmarkResult, TensorMemoryTracker,
                                     clip_shape, set_clip_shape)

REPO = osp.join(osp.dirname(__file__), '..', '..')
NAIVE_TINY = osp.join(REPO, 'configs', 'demo',
                      'naive_vit-tiny_synthetic-motion.py')
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
    model = dict(backbone=dict(type='UniFormerV2', t_size=8,
                               input_resolution=224))
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


def test_synthetic_benchmark_writes_table_csv_plot(run_tool, tmp_path):
    run_tool(
        'analysis_tools/synthetic_benchmark.py',
        '--methods', 'BitFit', '--seeds', '0', '--iters', '2',
        '--pretrain-iters', '2', '--batch-size', '4', '--videos', '2', '1',
        '--workers', '1', '--data-root', tmp_path / 'data', '--out-dir',
        tmp_path)
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
