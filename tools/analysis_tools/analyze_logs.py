# Copyright (c) mmvidlm authors. All rights reserved.
"""Plot loss/metric curves or time the training from MMEngine's json logs
(MMAction2's tools/analysis_tools/analyze_logs.py arguments).

    python tools/analysis_tools/analyze_logs.py plot_curve \\
        work_dirs/demo/*/vis_data/scalars.json --keys loss acc/top1 \\
        --out curves.png
    python tools/analysis_tools/analyze_logs.py cal_train_time \\
        work_dirs/demo/*/vis_data/scalars.json

Training records (they have an ``iter``) are plotted against the
iteration, validation metrics against their ``step`` (the epoch, or the
iteration of iteration-based training).
"""
import argparse
import json
from collections import defaultdict
from typing import Dict, List

import numpy as np


def load_json_logs(json_logs: List[str]) -> List[List[dict]]:
    """The records of each json log (one dict per line)."""
    logs = []
    for path in json_logs:
        if not path.endswith('.json'):
            raise ValueError(f'{path} is not a json log: pass the '
                             '`vis_data/scalars.json` of a work dir.')
        with open(path) as f:
            logs.append([json.loads(line) for line in f if line.strip()])
    return logs


def curve(records: List[dict], key: str, path: str):
    """(x, y, x label) of ``key`` in one log."""
    points = [r for r in records if key in r]
    if not points:
        keys = sorted({k
                       for r in records
                       for k in r} - {'epoch', 'iter', 'step'})
        raise KeyError(f'{path} has no {key!r}; it has {keys}.')
    train = all('iter' in r for r in points)
    xs = np.array([r['iter'] if train else r['step'] for r in points])
    ys = np.array([r[key] for r in points], dtype=float)
    by_epoch = not train and any('epoch' in r for r in records)
    return xs, ys, 'iter' if train else ('epoch' if by_epoch else 'iter')


def plot_curve(logs: List[List[dict]], args) -> None:
    """One panel per key, one line per log; saved to ``--out`` or shown."""
    import matplotlib
    if args.backend is not None:
        matplotlib.use(args.backend)
    elif args.out is not None:
        matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    if args.style in plt.style.available:
        plt.style.use(args.style)
    legend = args.legend or [
        f'{path}_{key}' for path in args.json_logs for key in args.keys
    ]
    if len(legend) != len(args.json_logs) * len(args.keys):
        raise ValueError(f'--legend needs {len(args.json_logs)} x '
                         f'{len(args.keys)} names, got {len(legend)}.')
    fig, axes = plt.subplots(
        len(args.keys), 1, figsize=(8, 3 * len(args.keys)), squeeze=False)
    for i, (path, records) in enumerate(zip(args.json_logs, logs)):
        for j, key in enumerate(args.keys):
            print(f'plot curve of {path}, metric is {key}')
            xs, ys, xlabel = curve(records, key, path)
            ax = axes[j, 0]
            ax.plot(
                xs,
                ys,
                label=legend[i * len(args.keys) + j],
                linewidth=1,
                marker='.' if len(xs) < 50 else None)
            ax.set_xlabel(xlabel)
            ax.set_ylabel(key)
            ax.legend()
    if args.title is not None:
        fig.suptitle(args.title)
    fig.tight_layout()
    if args.out is None:
        plt.show()
    else:
        print(f'save curve to: {args.out}')
        fig.savefig(args.out)
    plt.close(fig)


def cal_train_time(logs: List[List[dict]], args) -> None:
    """Slowest, fastest and average epoch, from the logged step times."""
    for path, records in zip(args.json_logs, logs):
        print(f'{"-" * 5}Analyze train time of {path}{"-" * 5}')
        times: Dict[int, List[float]] = defaultdict(list)
        for r in records:
            if 'time' in r and 'iter' in r:
                times[r.get('epoch', 1)].append(r['time'])
        if not times:
            raise KeyError(f'{path} has no training step times.')
        epochs = sorted(times)
        mean = np.array([
            np.mean(times[e] if args.include_outliers or len(times[e]) == 1
                    else times[e][1:]) for e in epochs
        ])
        print(f'slowest epoch {epochs[mean.argmax()]}, '
              f'average time is {mean.max():.4f}')
        print(f'fastest epoch {epochs[mean.argmin()]}, '
              f'average time is {mean.min():.4f}')
        print(f'time std over epochs is {mean.std():.4f}')
        print(f'average iter time: {mean.mean():.4f} s/iter')
        print()


def parse_args():
    parser = argparse.ArgumentParser(description='Analyze Json Log')
    subparsers = parser.add_subparsers(dest='task', required=True)
    plot = subparsers.add_parser('plot_curve', help='plot curves to a file')
    plot.add_argument('json_logs', nargs='+', help='json logs to plot')
    plot.add_argument(
        '--keys',
        nargs='+',
        default=['top1_acc'],
        help='the metrics to plot (e.g. loss, acc/top1)')
    plot.add_argument('--title', help='title of the figure')
    plot.add_argument('--legend', nargs='+', help='legend of each line')
    plot.add_argument('--backend', help='matplotlib backend')
    plot.add_argument('--style', default='default', help='matplotlib style')
    plot.add_argument('--out', help='image file (.png); none: show')
    timing = subparsers.add_parser(
        'cal_train_time', help='average time per training iteration')
    timing.add_argument('json_logs', nargs='+', help='json logs')
    timing.add_argument(
        '--include-outliers',
        action='store_true',
        help='include the first step of every epoch')
    return parser.parse_args()


def main():
    args = parse_args()
    logs = load_json_logs(args.json_logs)
    dict(
        plot_curve=plot_curve, cal_train_time=cal_train_time)[args.task](logs,
                                                                         args)


if __name__ == '__main__':
    main()
