# Copyright (c) mmvidlm authors. All rights reserved.
"""How latency, peak memory and GFLOPs of every method grow with the clip.

The video encoders of the speed methods (``methods.py``) are timed at each
clip length in one interleaved run, and a least-squares line through the
points gives the cost of one more frame (its slope) per method. A
compressive method (InTI) should grow more slowly than naive adaptation.

Rounds: in a warm-up round every (method, frames) encoder is built, its
GFLOPs counted and its peak memory measured over one untimed forward pass
(which also builds the kernels for the shape). Each timed round then
rebuilds the encoders of one clip length at a time, times each once and
frees them, so that at most one clip length's models are in memory (20
ViT-B encoders would not fit a small machine) and every round sees every
configuration.

Peak memory, two measures:

* ``tensors``: peak live tensor memory of one forward pass, parameters and
  input included (the dispatch-mode tracker of ``benchmark.py``; CUDA:
  ``torch.cuda.max_memory_allocated``). Kernels' internal scratch buffers
  are not tensors and are not seen.
* ``forward RSS`` (CPU, unless ``--no-rss``): the resident-set high-water
  mark of the forward pass (``VmHWM``, reset through
  ``/proc/self/clear_refs`` just before it) minus the resident set before
  it: what the pass adds, allocator and kernels' scratch buffers included.
  Freed heap is returned to the system first (``malloc_trim``) so that the
  pass cannot hide in memory an earlier model left resident. Noisier than
  the tensor peak (glibc's and oneDNN's caching): a fresh process per
  configuration gave 156 and 186 MB where this gives 175 and 139 MB
  (naive and InTI-B, 8 × 224², loaded CPU).

Examples::

    # CPU, batch 1, 8/16/32/64 frames, 224²
    python tools/analysis_tools/clip_length_scaling.py
    python tools/analysis_tools/clip_length_scaling.py --frames 8 16 \\
        --methods naive InTI-B --rounds 1
    # GPU: batch 32, bf16
    python tools/analysis_tools/clip_length_scaling.py --device cuda

Writes ``benchmarks/results/scaling_<device>.md`` and ``.png``.
"""
import argparse
import ctypes
import datetime
import gc
import os
import os.path as osp
from contextlib import nullcontext
from typing import Dict, List, Tuple

import numpy as np
import torch
from benchmark import (AMP_DTYPES, ModelBenchmark, build_benchmark_model,
                       encoder_gflops, machine_info, quiet_logs,
                       set_clip_shape)
from methods import REPO, Method, load_methods
from mmengine.config import Config


def parse_args():
    parser = argparse.ArgumentParser(
        description='Cost of every method against the number of frames')
    parser.add_argument(
        '--frames',
        type=int,
        nargs='+',
        default=[8, 16, 32, 64],
        help='clip lengths')
    parser.add_argument('--img-size', type=int, default=224, help='frame size')
    parser.add_argument(
        '--device', choices=['cpu', 'cuda'], default='cpu', help='device')
    parser.add_argument(
        '--batch-size',
        type=int,
        help='clips per iteration (default: 1 on CPU, 32 on CUDA)')
    parser.add_argument(
        '--amp',
        choices=list(AMP_DTYPES),
        help='autocast dtype (default: none on CPU, bf16 on CUDA)')
    parser.add_argument(
        '--rounds', type=int, default=2, help='timed interleaved rounds')
    parser.add_argument(
        '--methods',
        nargs='+',
        default=['naive', 'InTI-B', 'MMAction2', 'TokenMix'],
        help='only these methods (substrings of their names; default: '
        'naive, the two InTI-B, UniFormerV2-B and token mixing)')
    parser.add_argument(
        '--no-rss',
        action='store_true',
        help='skip the RSS measurement in fresh processes (CPU)')
    parser.add_argument(
        '--out',
        help='markdown file to write, the plot next to it as .png '
        '(default: benchmarks/results/scaling_<device>.md)')
    args = parser.parse_args()
    if len(set(args.frames)) < 2:
        parser.error('--frames needs two clip lengths or more to fit a line')
    if args.rounds < 1:
        parser.error('--rounds must be at least 1')
    return args


def build_encoder(method: Method, frames: int, size: int) -> torch.nn.Module:
    """The method's video encoder for ``frames`` × ``size``², random but
    reproducible weights."""
    model_cfg = set_clip_shape(
        Config.fromfile(method.config_path).model, frames, size)
    torch.manual_seed(0)
    return build_benchmark_model(model_cfg, part='encoder')


def _vm_mb(field: str) -> float:
    """``VmRSS`` (resident now) or ``VmHWM`` (peak) of this process."""
    with open('/proc/self/status') as f:
        line = next(line for line in f if line.startswith(field + ':'))
    return int(line.split()[1]) / 2**10  # kB


class ForwardRSS:
    """Resident memory a block of code adds at its peak (CPU, Linux).

    Freed heap memory is first returned to the system (glibc's
    ``malloc_trim``), so that the block cannot reuse memory that an earlier
    model left resident, and the peak (``VmHWM``) is reset to the current
    resident set through ``/proc/self/clear_refs`` (Linux >= 4.0).
    """

    def __enter__(self):
        gc.collect()
        ctypes.CDLL('libc.so.6').malloc_trim(0)
        try:
            with open('/proc/self/clear_refs', 'w') as f:
                f.write('5')
        except OSError as e:
            raise RuntimeError(
                f'Cannot reset the RSS peak ({e}); run with --no-rss.') from e
        self.before_mb = _vm_mb('VmRSS')
        return self

    def __exit__(self, *exc):
        self.peak_mb = _vm_mb('VmHWM')
        self.added_mb = self.peak_mb - self.before_mb


def measure(args, methods: List[Method], batch_size: int,
            amp: str) -> Dict[Tuple[str, int], dict]:
    """Every (method, frames): GFLOPs, peak memory and latencies."""
    cells = {
        (m.name, t): dict(latencies_ms=[])
        for t in args.frames
        for m in methods
    }
    rss = args.device == 'cpu' and not args.no_rss

    def bench(method, frames):
        return ModelBenchmark(
            build_encoder(method, frames, args.img_size),
            batch_size=batch_size,
            frames=frames,
            size=args.img_size,
            device=args.device,
            amp=amp)

    for frames in args.frames:  # warm-up round: GFLOPs and memory
        for method in methods:
            cell, b = cells[method.name, frames], bench(method, frames)
            cell['gflops'] = encoder_gflops(b.model, frames, args.img_size)
            with ForwardRSS() if rss else nullcontext() as r:
                b.warmup(1)
            cell['tensor_mb'] = b.peak_mem_mb
            if rss:
                cell['rss_mb'] = r.added_mb
            print(f'warm-up {method.name} {frames} frames: '
                  f'{cell["gflops"]:.1f} GFLOPs, tensors '
                  f'{b.peak_mem_mb:.0f} MB' +
                  (f', forward RSS {r.added_mb:.0f} MB' if rss else ''))
            del b
    for r in range(args.rounds):
        for frames in args.frames:
            benches = [bench(m, frames) for m in methods]
            for method, b in zip(methods, benches):
                cells[method.name, frames]['latencies_ms'] += b.time(1)
            del benches
            gc.collect()
            print(f'round {r + 1}/{args.rounds}, {frames} frames: ' +
                  ', '.join(f'{m.name} '
                            f'{cells[m.name, frames]["latencies_ms"][-1]:.0f}'
                            ' ms' for m in methods))
    for cell in cells.values():
        cell['latency_ms'] = float(np.median(cell['latencies_ms']))
    return cells


def slope(frames: List[int], values: List[float]) -> float:
    """Least-squares growth of ``values`` per added frame."""
    return float(np.polyfit(frames, values, 1)[0])


METRICS = (  # key, column title, unit, format
    ('latency_ms', 'latency', 'ms', '.0f'),
    ('gflops', 'GFLOPs', 'GFLOPs', '.1f'),
    ('tensor_mb', 'peak tensors', 'MB', '.0f'),
    ('rss_mb', 'forward RSS', 'MB', '.0f'),
)


def render(cells, methods, args, info, batch_size, amp, load_before,
           load_after, plot_name) -> str:
    metrics = [m for m in METRICS if all(m[0] in c for c in cells.values())]
    device = info.get('gpu', f'{info["cpu"]}, {info["cores"]} cores')
    lines = [
        f'# Cost against clip length ({args.device})',
        '',
        '- date: ' + datetime.datetime.now(
            datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
        f'- device: {device} (torch threads: {info["torch_threads"]}), '
        f'torch {info["torch"]}',
        f'- input: batch {batch_size} × T frames × {args.img_size}², amp '
        f'{amp}; T in {args.frames}',
        f'- timing: one untimed forward pass per model (memory), then '
        f'{args.rounds} interleaved round(s), each timing every model of '
        'one clip length in turn; latency is the median',
        f'- load average (1/5/15 min) before: '
        f'{"/".join(f"{x:.2f}" for x in load_before)}, after: '
        f'{"/".join(f"{x:.2f}" for x in load_after)}',
        '- peak tensors: peak live tensor memory of one forward pass '
        '(parameters and input included' +
        ('; `torch.cuda.max_memory_allocated`)' if args.device == 'cuda' else
         ', dispatch-mode tracker of `benchmark.py`)'),
    ]
    if any(m[0] == 'rss_mb' for m in metrics):
        lines.append('- forward RSS: peak resident set (`VmHWM`, reset '
                     'before the pass, freed heap trimmed) of one forward '
                     'pass minus the resident set before it')
    lines += [
        '- models: the video encoder of each config (`tools/analysis_tools/'
        'methods.py`), random weights', '', '## Per clip length', ''
    ]
    header = '| method | T | ' + ' | '.join(
        f'{title} ({unit})' for _, title, unit, _ in metrics) + ' |'
    lines += [header, '|' + '---|' * (len(metrics) + 2)]
    for method in methods:
        for t in args.frames:
            cell = cells[method.name, t]
            lines.append(f'| {method.name} | {t} | ' +
                         ' | '.join(f'{cell[key]:{fmt}}'
                                    for key, _, _, fmt in metrics) + ' |')
    lines += [
        '', '## Growth per added frame (least-squares slope)', '',
        '| method | ' +
        ' | '.join(f'{title} ({unit}/frame) | {title} slope / naive'
                   for _, title, unit, _ in metrics) + ' |',
        '|' + '---|' * (2 * len(metrics) + 1)
    ]
    slopes = {
        (m.name, key):
        slope(args.frames, [cells[m.name, t][key] for t in args.frames])
        for m in methods
        for key, *_ in metrics
    }
    naive = methods[0].name if 'naive' in methods[0].name else None
    for method in methods:
        row = []
        for key, _, _, fmt in metrics:
            s = slopes[method.name, key]
            ratio = f'{s / slopes[naive, key]:.3f}' if naive else 'n/a'
            row += [f'{s:.2f}', ratio]
        lines.append(f'| {method.name} | ' + ' | '.join(row) + ' |')
    lines += [
        '', 'The slope is the cost of one more frame; its ratio to naive '
        'adaptation compares how fast the methods grow with the clip.', '',
        f'![cost against clip length]({plot_name})', ''
    ]
    return '\n'.join(lines)


def plot(cells, methods, args, path) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    metrics = [m for m in METRICS if all(m[0] in c for c in cells.values())]
    fig, axes = plt.subplots(
        1, len(metrics), figsize=(4.5 * len(metrics), 4.2))
    for ax, (key, title, unit, _) in zip(axes, metrics):
        for method in methods:
            ax.plot(
                args.frames, [cells[method.name, t][key] for t in args.frames],
                marker='o',
                label=method.name)
        ax.set_xscale('log', base=2)
        ax.set_xticks(args.frames, [str(t) for t in args.frames])
        ax.set_xlabel('frames per clip')
        ax.set_title(f'{title} ({unit})')
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main():
    args = parse_args()
    quiet_logs()
    cuda = args.device == 'cuda'
    batch_size = args.batch_size or (32 if cuda else 1)
    amp = args.amp or ('bf16' if cuda else 'none')
    args.frames = sorted(set(args.frames))
    methods = [
        m for m in load_methods('speed', args.methods)
        if osp.exists(m.config_path)
    ]
    info = machine_info(args.device)
    load_before = os.getloadavg()
    cells = measure(args, methods, batch_size, amp)
    load_after = os.getloadavg()
    out = args.out or osp.join(REPO, 'benchmarks', 'results',
                               f'scaling_{args.device}.md')
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    png = osp.splitext(out)[0] + '.png'
    plot(cells, methods, args, png)
    text = render(cells, methods, args, info, batch_size, amp, load_before,
                  load_after, osp.basename(png))
    with open(out, 'w') as f:
        f.write(text)
    print(text)
    print(f'written to {out} and {png}')


if __name__ == '__main__':
    main()
