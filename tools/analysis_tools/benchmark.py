# Copyright (c) mmvidlm authors. All rights reserved.
"""Measure the inference (or training-step) speed and memory of a config.

Examples::

    python tools/analysis_tools/benchmark.py configs/inti/vit-b_k400.py
    python tools/analysis_tools/benchmark.py configs/inti/vit-b_k400.py \\
        --device cuda --batch-size 32 --amp bf16 --compile --train

The last line is ``clips/s: <float>  latency_ms: <float>  peak_mem_mb:
<float>``: median latency of one iteration (``--batch-size`` clips),
throughput derived from it, and peak memory (CUDA: the allocator's
``max_memory_allocated``; CPU: peak live tensor memory, see
``mmvidlm/utils/benchmark.py``). Inputs are random normalised clips, so
data loading is not timed.
"""
import argparse

import torch
from mmengine.config import Config, DictAction

from mmvidlm.utils.benchmark import (ModelBenchmark, build_benchmark_model,
                                     clip_shape, machine_info, quiet_logs,
                                     run_benchmark, set_clip_shape)


def parse_args():
    parser = argparse.ArgumentParser(
        description='Benchmark the speed and memory of a model')
    parser.add_argument('config', help='config file path')
    parser.add_argument(
        '--batch-size', type=int, default=1, help='clips per iteration')
    parser.add_argument(
        '--iters', type=int, default=10, help='timed iterations')
    parser.add_argument(
        '--warmup', type=int, default=5, help='untimed iterations first')
    parser.add_argument(
        '--amp',
        choices=['none', 'fp16', 'bf16'],
        default='none',
        help='autocast dtype')
    parser.add_argument(
        '--compile', action='store_true', help='torch.compile the encoder')
    parser.add_argument(
        '--train',
        action='store_true',
        help='time forward + backward + optimizer step (the config\'s '
        'optim_wrapper) instead of inference')
    parser.add_argument(
        '--device', choices=['cpu', 'cuda'], default='cpu', help='device')
    parser.add_argument(
        '--shape',
        type=int,
        nargs=2,
        metavar=('T', 'S'),
        help='clip of T frames at S×S pixels (default: the config\'s)')
    parser.add_argument(
        '--part',
        choices=['model', 'encoder'],
        default='model',
        help='time the whole model or only its video encoder (backbone)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, key=value')
    return parser.parse_args()


def main():
    args = parse_args()
    quiet_logs()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    model_cfg = cfg.model
    if args.shape:
        model_cfg = set_clip_shape(model_cfg, *args.shape)
    frames, size = clip_shape(model_cfg)
    model = build_benchmark_model(model_cfg, part=args.part)
    bench = ModelBenchmark(
        model,
        batch_size=args.batch_size,
        frames=frames,
        size=size,
        device=args.device,
        train=args.train,
        amp=args.amp,
        compile=args.compile,
        optim_wrapper_cfg=cfg.get('optim_wrapper'),
        num_classes=cfg.model.get('cls_head', {}).get('num_classes', 2))
    info = machine_info(args.device)
    mode = 'train step' if args.train else 'inference'
    print(f'{args.config}: {mode}, {args.batch_size}x{frames}x{size}², '
          f'amp={args.amp}, compile={args.compile}, device='
          f'{info.get("gpu", info["cpu"])}, torch {torch.__version__}, '
          f'{info["torch_threads"]} threads, load avg '
          f'{info["load_avg"][0]:.2f}')
    result = run_benchmark(bench, args.iters, args.warmup)
    print(result.summary_line())


if __name__ == '__main__':
    main()
