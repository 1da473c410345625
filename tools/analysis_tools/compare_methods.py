# Copyright (c) mmvidlm authors. All rights reserved.
"""Compare the video encoders of every method in one process, interleaved.

Each method's video encoder (the ``backbone`` of its config) runs on the
same random clips; the models take turns in rounds, so that a change of
machine load during the run affects all of them alike and the ratios to
naive adaptation stay meaningful. The markdown table (machine, torch
version, load, latency, throughput, peak memory, ratios, targets) goes to
``benchmarks/results/``.

Examples::

    # the paper's setting, CPU, a few minutes on 2 cores
    python tools/analysis_tools/compare_methods.py
    # quicker
    python tools/analysis_tools/compare_methods.py --frames 8 --rounds 2
    # GPU: bf16, batch 32
    python tools/analysis_tools/compare_methods.py --device cuda
"""
import argparse
import datetime
import os
import os.path as osp

import torch
from benchmark import (MatmulBenchmark, ModelBenchmark, build_benchmark_model,
                       encoder_gflops, flop_utilisation, machine_info,
                       quiet_logs, run_interleaved, set_clip_shape)
from methods import REPO, load_methods
from mmengine.config import Config

#: (method, reference, metric, bound, device): the issue's targets. A
#: latency ratio must stay at or below the bound, a throughput ratio at or
#: above it.
TARGETS = (
    ('InTI-B (5, 9)', 'naive ViT-B/16', 'latency', 0.72, 'cpu'),
    ('TokenMix ViT-B/16', 'plain BLIP ViT-B/16', 'latency', 1.05, 'cpu'),
    ('InTI-B (5, 9)', 'naive ViT-B/16', 'throughput', 1.45, 'cuda'),
    ('InTI-B (5, 9)', 'MMAction2 UniFormerV2-B/16', 'throughput', 1.5, 'cuda'),
)


def parse_args():
    parser = argparse.ArgumentParser(
        description='Speed and memory of every method, interleaved')
    parser.add_argument(
        '--device', choices=['cpu', 'cuda'], default='cpu', help='device')
    parser.add_argument(
        '--frames', type=int, default=16, help='frames per clip')
    parser.add_argument('--img-size', type=int, default=224, help='frame size')
    parser.add_argument(
        '--batch-size',
        type=int,
        help='clips per iteration (default: 1 on CPU, 32 on CUDA)')
    parser.add_argument(
        '--amp',
        choices=['none', 'fp16', 'bf16'],
        help='autocast dtype (default: none on CPU, bf16 on CUDA)')
    parser.add_argument(
        '--compile', action='store_true', help='torch.compile every encoder')
    parser.add_argument(
        '--rounds', type=int, default=3, help='interleaved timing rounds')
    parser.add_argument(
        '--iters', type=int, default=1, help='timed iterations per round')
    parser.add_argument(
        '--warmup', type=int, default=1, help='untimed iterations first')
    parser.add_argument(
        '--methods',
        nargs='+',
        help='only these methods (substrings of their names)')
    parser.add_argument(
        '--out',
        help='markdown file to write (default: benchmarks/results/'
        'compare_methods_<device>_<T>x<S>.md)')
    return parser.parse_args()


def main():
    args = parse_args()
    quiet_logs()
    cuda = args.device == 'cuda'
    batch_size = args.batch_size or (32 if cuda else 1)
    amp = args.amp or ('bf16' if cuda else 'none')
    info = machine_info(args.device)

    benches, rows, missing = [], [], []
    for method in load_methods('speed', args.methods):
        if not osp.exists(method.config_path):
            missing.append(method)
            print(f'skip {method.name}: {method.config} does not exist')
            continue
        model_cfg = set_clip_shape(
            Config.fromfile(method.config_path).model, args.frames,
            args.img_size)
        encoder = build_benchmark_model(model_cfg, part='encoder')
        rows.append(
            dict(
                method=method,
                gflops=encoder_gflops(encoder, args.frames, args.img_size),
                params=sum(p.numel() for p in encoder.parameters()) / 1e6))
        benches.append(
            ModelBenchmark(
                encoder,
                batch_size=batch_size,
                frames=args.frames,
                size=args.img_size,
                device=args.device,
                amp=amp,
                compile=args.compile))
        print(f'built {method.name}')

    dtype = {
        'none': torch.float32,
        'fp16': torch.float16,
        'bf16': torch.bfloat16
    }[amp]
    # The matmul peak takes its turn in every round, under the models' load.
    matmul = MatmulBenchmark(args.device, dtype)
    load_before = os.getloadavg()
    *results, matmul_result = run_interleaved(
        benches + [matmul], args.rounds, args.iters, args.warmup, log=print)
    peak_tflops = matmul.tflops(matmul_result)
    load_after = os.getloadavg()
    for row, result in zip(rows, results):
        row['result'] = result

    text = render(rows, missing, info, args, batch_size, amp, load_before,
                  load_after, peak_tflops)
    out = args.out or osp.join(
        REPO, 'benchmarks', 'results',
        f'compare_methods_{args.device}_{args.frames}x{args.img_size}.md')
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    with open(out, 'w') as f:
        f.write(text)
    print(text)
    print(f'written to {out}')


def render(rows, missing, info, args, batch_size, amp, load_before, load_after,
           peak_tflops) -> str:
    by_name = {row['method'].name: row['result'] for row in rows}
    naive = by_name.get(load_methods('speed')[0].name)
    device = info.get('gpu', f'{info["cpu"]}, {info["cores"]} cores')
    lines = [
        f'# Speed and memory of every method ({args.device})', '',
        '- date: ' + datetime.datetime.now(
            datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
        f'- device: {device} (torch threads: {info["torch_threads"]})',
        f'- torch {info["torch"]}',
        f'- input: batch {batch_size} × {args.frames} frames × '
        f'{args.img_size}², amp {amp}, compile {args.compile}',
        f'- timing: {args.warmup} warm-up, then {args.rounds} interleaved '
        f'rounds × {args.iters} iteration(s) per method; latency is the '
        'median iteration, throughput = batch / latency',
        f'- load average (1/5/15 min) before: '
        f'{"/".join(f"{x:.2f}" for x in load_before)}, after: '
        f'{"/".join(f"{x:.2f}" for x in load_after)}',
        f'- dense matmul throughput ({amp if amp != "none" else "fp32"}, '
        f'median of the same interleaved rounds as the models): '
        f'{peak_tflops:.3f} TFLOP/s', '- peak memory: ' +
        ('`torch.cuda.max_memory_allocated`' if args.device == 'cuda' else
         'peak live tensor memory of one iteration (parameters included; '
         'see `tools/analysis_tools/benchmark.py`)'),
        '- models: the video encoder (backbone) of each config, random '
        'weights', ''
    ]
    lines += [
        '| method | config | GFLOPs | params (M) | latency (ms) | clips/s '
        '| peak mem (MB) | latency / naive | throughput / naive | '
        'FLOP utilisation |', '|' + '---|' * 10
    ]
    for row in rows:
        res, cfg = row['result'], row['method'].config
        gf = row['gflops']
        util = flop_utilisation(gf, res.clips_per_s, peak_tflops)
        util = 'n/a (> peak)' if util is None else f'{util:.0%}'
        lat_ratio = f'{res.latency_ms / naive.latency_ms:.3f}' if naive \
            else 'n/a'
        thr_ratio = f'{res.clips_per_s / naive.clips_per_s:.3f}' if naive \
            else 'n/a'
        lines.append(
            f'| {row["method"].name} | `{cfg}` | '
            f'{gf:.1f} | {row["params"]:.1f} | '
            f'{res.latency_ms:.1f} | {res.clips_per_s:.3f} | '
            f'{res.peak_mem_mb:.0f} | {lat_ratio} | {thr_ratio} | {util} |')
    for method in missing:
        lines.append(f'| {method.name} | `{method.config}` (missing) |' +
                     ' |' * 8)
    lines += [
        '', 'FLOP utilisation = 2 × GFLOPs (multiply-adds) × clips/s / '
        'dense matmul throughput measured in the same rounds; "n/a (> '
        'peak)" where that exceeds 100 %: the reference matmul was slower '
        'than the model\'s own products in those rounds (a load change, '
        'or a matrix size below the device\'s best).', '', '## Targets', ''
    ]
    for name, ref, metric, bound, device in TARGETS:
        if name not in by_name or ref not in by_name or device != args.device:
            continue
        if metric == 'latency':
            ratio = by_name[name].latency_ms / by_name[ref].latency_ms
            met, sign = ratio <= bound, '≤'
        else:
            ratio = by_name[name].clips_per_s / by_name[ref].clips_per_s
            met, sign = ratio >= bound, '≥'
        lines.append(f'- {metric} {name} / {ref}: {ratio:.3f} (target '
                     f'{sign} {bound}): {"met" if met else "NOT met"}')
    return '\n'.join(lines) + '\n'


if __name__ == '__main__':
    main()
