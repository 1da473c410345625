# Copyright (c) mmvidlm authors. All rights reserved.
"""Train every method as a classifier on the synthetic motion videos.

Every method gets the same tiny ViT (64 wide, 4 layers, 8 frames of 32²),
the same initial weights, data, schedule and number of steps, so that the
table answers one question: which methods solve the *motion* classes (told
apart only by the order of the frames, so an order-blind model is at 50 %
within each pair) while keeping the *appearance* classes, at what GFLOPs
and how many updated parameters.

Every run is an MMEngine ``Runner`` built from the naive demo config
(``configs/demo/naive_vit-tiny_synthetic-motion.py``: its data
pipeline, head, data preprocessor and optimizer), with the method's
backbone and trainable parameters and the benchmark's budget merged over
it as ``--cfg-options``-style dicts (:func:`build_config`). Protocol, for
each seed:

1. "image pre-training": the naive per-frame ViT is trained on the videos
   from scratch (it learns shapes and colours, not motion); its checkpoint
   plays the role of the CLIP/BLIP weights (kept under
   ``<data-root>/pretrained/`` and reused by later runs with the same data
   and pre-training budget);
2. every method (``methods.py``) builds the backbone of its config at the
   tiny size, loads that checkpoint (``init_cfg``; new modules keep their
   own initialisation), freezes what the method freezes (the backbone's
   ``trainable`` spec; the head always trains) and is fine-tuned as a
   ``Recognizer3D`` with the same budget (``IterBasedTrainLoop``, 10 %
   linear warm-up then cosine);
3. ``Runner.test`` on the validation videos with
   :class:`mmvidlm.evaluation.SyntheticMotionMetric`: accuracy on the
   appearance and on the motion classes, and the direction accuracy within
   each motion pair (translation of the circle, rotation of the bar; 50 %
   for an order-blind model).

Videos are decoded by the config's pipeline at every step (decord, a
random frame of each of 8 segments for training, the middle one for
testing; no crop: the shapes must stay whole). Runs go to a process pool,
one thread per process.

Outputs in ``benchmarks/results/``: ``synthetic_benchmark.md`` (mean ± std
over seeds), ``synthetic_benchmark.csv`` (one row per method and seed) and
``synthetic_benchmark.png`` (accuracy vs GFLOPs, error bars over seeds).

Example::

    python tools/analysis_tools/synthetic_benchmark.py  # all, 3 seeds
    python tools/analysis_tools/synthetic_benchmark.py \\
        --methods InTI --seeds 0 --iters 20 --pretrain-iters 20
"""
import argparse
import copy
import csv
import datetime
import multiprocessing
import os
import os.path as osp
import re
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from typing import List, Optional, Sequence, Tuple

import torch
from benchmark import machine_info, quiet_logs
from methods import REPO, Method, load_methods
from mmengine.config import Config

#: The one tiny backbone every method is built on: the tiny ViT of the
#: tests and demos (configs/_base_/models/vit_tiny.py), CLIP-style, so that
#: one pre-trained checkpoint fits all of them.
TINY = dict(
    Config.fromfile(osp.join(
        REPO, 'configs/_base_/models/vit_tiny.py')).tiny_clip_vit.to_dict(),
    out_type='cls_mean',
    init_cfg=None)
#: Data, head, data preprocessor and optimizer of every classifier.
TEMPLATE = 'configs/demo/naive_vit-tiny_synthetic-motion.py'
#: Accuracies of a run (fractions): CSV / table keys and the
#: ``SyntheticMotionMetric`` keys they come from.
ACCURACY_KEYS = dict(
    acc='top1',
    appearance_acc='appearance',
    motion_acc='motion',
    direction_acc='direction',
    direction_circle_acc='direction_circle',
    direction_bar_acc='direction_bar')
ACCURACIES = tuple(ACCURACY_KEYS)
FAMILY_COLORS = {
    'baseline': 'black',
    'InTI': 'tab:red',
    'compressive': 'tab:orange',
    'token mixing': 'tab:blue',
    'PEFT': 'tab:green',
}


def parse_args():
    parser = argparse.ArgumentParser(
        description='Accuracy of every method on the synthetic videos')
    parser.add_argument(
        '--methods',
        nargs='+',
        help='only these methods (substrings of their names; naive is the '
        'reference and always runs)')
    add_budget_args(
        parser,
        iters=400,
        pretrain_iters=800,
        pretrain_help='steps of the naive "image pre-training"',
        lr=1e-3,
        lr_help='AdamW learning rate',
        videos=(64, 32),
        data_root=osp.join(REPO, 'data', 'synthetic_benchmark'),
        data_root_help='cache of the generated videos')
    return parser.parse_args()


def add_budget_args(parser: argparse.ArgumentParser, *, iters: int,
                    pretrain_iters: int, pretrain_help: str,
                    lr: Optional[float], lr_help: str, videos: Tuple[int, int],
                    data_root: str, data_root_help: str) -> None:
    """The options every synthetic benchmark shares (seeds, steps, batch,
    learning rate, workers, data, output), with the tool's defaults."""
    parser.add_argument(
        '--seeds', type=int, nargs='+', default=[0, 1, 2], help='seeds')
    parser.add_argument(
        '--iters', type=int, default=iters, help='fine-tuning steps')
    parser.add_argument(
        '--pretrain-iters',
        type=int,
        default=pretrain_iters,
        help=pretrain_help)
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument('--lr', type=float, default=lr, help=lr_help)
    parser.add_argument(
        '--workers',
        type=int,
        default=min(2,
                    os.cpu_count() or 1),
        help='parallel runs (one thread each)')
    parser.add_argument(
        '--videos',
        type=int,
        nargs=2,
        default=videos,
        metavar=('TRAIN', 'VAL'),
        help='synthetic videos per class')
    parser.add_argument('--data-root', default=data_root, help=data_root_help)
    parser.add_argument(
        '--out-dir',
        default=osp.join(REPO, 'benchmarks', 'results'),
        help='where the table, CSV and plot go')


def build_config(method: Method, seed: int, iters: int,
                 args: argparse.Namespace, work_dir: str,
                 pretrained: Optional[str]):
    """The Runner config of one run: :data:`TEMPLATE` with the method's
    tiny backbone, its trainable parameters and the benchmark's budget.

    Args:
        method (Method): The method.
        seed (int): Seed of the weights, the data order and the sampling.
        iters (int): Training steps (schedule length).
        args (Namespace): The benchmark's settings (data, batch, lr).
        work_dir (str): The run's work directory.
        pretrained (str, optional): Checkpoint whose ``backbone.`` weights
            initialise the backbone.

    Returns:
        Config: Ready for ``Runner.from_cfg``.
    """
    cfg = Config.fromfile(osp.join(REPO, TEMPLATE))
    method_cfg = Config.fromfile(method.config_path)
    backbone = {**method_cfg.model.backbone, **TINY, **method.tiny}
    if isinstance(method.tiny.get('layer_cfgs'), dict):  # e.g. a width
        backbone['layer_cfgs'] = {
            **method_cfg.model.backbone.get('layer_cfgs', {}),
            **method.tiny['layer_cfgs']
        }
    if pretrained:
        # A method's new modules (e.g. global UniBlocks) may outweigh the
        # pre-trained ViT: they start from their own initialisation.
        backbone['init_cfg'] = dict(
            type='Pretrained',
            checkpoint=pretrained,
            prefix='backbone.',
            allow_partial=True)
    data = dict(
        data_root=args.data_root,
        num_videos=dict(train=args.videos[0], val=args.videos[1]))
    cfg.merge_from_dict({
        'model.backbone':
        dict(_delete_=True, **backbone),
        'train_dataloader.batch_size':
        args.batch_size,
        'train_dataloader.dataset':
        data,
        'test_dataloader.batch_size':
        32,
        'test_dataloader.dataset':
        data,
        'test_evaluator':
        dict(_delete_=True, type='SyntheticMotionMetric'),
    })
    apply_budget(cfg, seed, iters, args.lr, work_dir)
    return cfg


def apply_budget(cfg: Config, seed: int, iters: int, lr: float,
                 work_dir: str) -> None:
    """Merge the budget every benchmark run shares into a Runner config.

    ``iters`` steps of an ``IterBasedTrainLoop`` with the config's
    optimizer at ``lr`` (10 % linear warm-up, then cosine to 1 % of
    ``lr``), no validation, no checkpoints, only errors in the log, spawned
    data workers (the runs are pool workers already) and the seed.

    Args:
        cfg (Config): The run's config, changed in place.
        seed (int): Seed of the weights, the data order and the sampling.
        iters (int): Training steps (schedule length).
        lr (float): Learning rate of the config's optimizer.
        work_dir (str): The run's work directory.
    """
    warmup = max(iters // 10, 1)
    cfg.merge_from_dict({
        'optim_wrapper.optimizer.lr':
        lr,
        'train_cfg':
        dict(
            _delete_=True,
            type='IterBasedTrainLoop',
            max_iters=iters,
            val_interval=iters + 1),
        'param_scheduler': [
            dict(
                type='LinearLR',
                start_factor=0.1,
                by_epoch=False,
                begin=0,
                end=warmup),
            dict(
                type='CosineAnnealingLR',
                T_max=max(iters - warmup, 1),
                eta_min=lr * 0.01,
                by_epoch=False,
                begin=warmup,
                end=max(iters, warmup + 1))
        ],
        'default_hooks.checkpoint':
        None,
        'default_hooks.logger.interval':
        max(iters, 1),
        'log_processor.by_epoch':
        False,
        'log_level':
        'ERROR',
        # the runs are spawned workers already (MMEngine would force fork)
        'env_cfg.mp_cfg.mp_start_method':
        'spawn',
        'randomness':
        dict(seed=seed),
        'work_dir':
        work_dir,
        'experiment_name':
        osp.basename(work_dir),
    })
    for key in ('val_dataloader', 'val_cfg', 'val_evaluator'):
        cfg[key] = None


def encoder_gflops(backbone: torch.nn.Module, num_frames: int,
                   img_size: int) -> float:
    """GFLOPs (multiply-adds) of a video encoder for one clip, counted on
    a meta copy as ``tools/analysis_tools/get_flops.py`` does."""
    from mmvidlm.utils.flops import count_macs
    backbone = copy.deepcopy(backbone).eval().requires_grad_(False)
    clip = torch.zeros(1, 3, num_frames, img_size, img_size, device='meta')
    return count_macs(backbone.to('meta'), clip) / 1e9


def model_costs(model: torch.nn.Module, num_frames: int,
                img_size: int) -> dict:
    """GFLOPs of the model's video encoder (``model.backbone``) for one
    clip and its updated (trained) parameters: the encoder's
    (``updated_params_visual``), the whole model's (``updated_params``) and
    its total (``total_params``)."""
    from mmvidlm.models.utils import updated_params
    parts = updated_params(model)
    return dict(
        gflops=encoder_gflops(model.backbone, num_frames, img_size),
        updated_params_visual=parts['backbone'][1],
        updated_params=sum(trained for _, trained in parts.values()),
        total_params=sum(total for total, _ in parts.values()))


def _init_worker() -> None:
    from mmvidlm.utils import register_all_modules
    torch.set_num_threads(1)
    # Runs are many: only errors are worth printing from the workers.
    quiet_logs('ERROR')
    register_all_modules()


def train_and_test(cfg: Config, save_to: Optional[str] = None) -> tuple:
    """Train, then test, the run of ``cfg`` with MMEngine's ``Runner``.

    Args:
        cfg (Config): The run's config (:func:`apply_budget` applied).
        save_to (str, optional): Save the trained weights there (written
            atomically); when an earlier run saved them, load them instead
            of training and only test.

    Returns:
        tuple: The ``Runner`` and the test metrics.
    """
    from mmengine.runner import Runner
    cached = bool(save_to) and osp.exists(save_to)
    if cached:  # trained by an earlier run: only test it
        cfg.load_from = save_to
    runner = Runner.from_cfg(cfg)
    if not cached:
        runner.train()
    if save_to and not cached:
        runner.save_checkpoint(
            osp.dirname(save_to),
            osp.basename(save_to) + '.tmp',
            save_optimizer=False,
            save_param_scheduler=False)
        os.replace(save_to + '.tmp', save_to)
    return runner, runner.test()


def run(method: Method,
        seed: int,
        pretrained: Optional[str],
        args: argparse.Namespace,
        save_to: Optional[str] = None) -> dict:
    """Train and test one method with one seed (in a worker).

    With ``save_to`` the run is the pre-training: its weights are saved
    there, or loaded from there when an earlier run saved them.
    """
    start = time.time()
    iters = args.pretrain_iters if save_to else args.iters
    slug = re.sub(r'\W+', '-', method.name).strip('-')
    with tempfile.TemporaryDirectory(prefix=f'{slug}_seed{seed}_') as tmp:
        cfg = build_config(method, seed, max(iters, 1), args, tmp, pretrained)
        runner, metrics = train_and_test(cfg, save_to)
    model = runner.model
    row = dict(method=method.name, family=method.family, seed=seed)
    row.update({
        key: metrics[f'synthetic/{name}']
        for key, name in ACCURACY_KEYS.items()
    })
    row.update(model_costs(model, TINY['num_frames'], TINY['img_size']))
    row['seconds'] = time.time() - start
    return row


def summarise(rows: List[dict],
              names: Sequence[str],
              keys: Sequence[str] = ACCURACIES) -> list:
    """Mean and standard deviation over seeds of ``keys``, per method
    (``row['method']``), in the order of ``names``."""
    out = []
    for name in names:
        runs = [r for r in rows if r['method'] == name]
        if not runs:
            continue
        summary = dict(runs[0], seeds=len(runs))
        for key in keys:
            values = [r[key] for r in runs]
            summary[key] = statistics.mean(values)
            summary[key + '_std'] = statistics.stdev(values) \
                if len(values) > 1 else 0.
        out.append(summary)
    return out


#: Columns of a run's row after its accuracies (CSV).
COST_KEYS = ('gflops', 'updated_params_visual', 'updated_params',
             'total_params', 'seconds')


def write_csv(rows: List[dict], path: str, keys: Sequence[str]) -> None:
    """One CSV row per run with the given columns."""
    with open(path, 'w', newline='') as f:
        writer = csv.DictWriter(f, keys, extrasaction='ignore')
        writer.writeheader()
        writer.writerows(rows)


def write_markdown(summary: list, pretrain_rows: list, args, info: dict,
                   path: str, plot_name: str) -> None:

    def pct(s, key):
        return f'{100 * s[key]:.1f} ± {100 * s[key + "_std"]:.1f}'

    lines = [
        '# Synthetic motion videos: every method, same tiny ViT and budget',
        '', '- date: ' + datetime.datetime.now(
            datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
        f'- machine: {info["cpu"]}, {info["cores"]} cores, torch '
        f'{info["torch"]}, {args.workers} worker process(es), 1 thread '
        f'each; load average before {info["load_avg"][0]:.2f}, wall time '
        f'{info["wall_s"] / 60:.1f} min for {info["runs"]} runs',
        f'- backbone: tiny ViT (64 wide, 4 layers, 4 heads), '
        f'{TINY["num_frames"]} frames of {TINY["img_size"]}², patch '
        f'{TINY["patch_size"]}',
        f'- data: {args.videos[0]} train / {args.videos[1]} val videos per '
        'class, 17 frames each (8 sampled); 4 motion classes (pairs that '
        'differ only by frame order: chance within a pair is 50 %), 2 '
        'appearance classes',
        f'- budget: "image pre-training" of the naive ViT for '
        f'{args.pretrain_iters} steps (per seed; val accuracy ' +
        ', '.join(f'{100 * r["acc"]:.0f} %' for r in pretrain_rows) +
        f'), then {args.iters} steps of batch {args.batch_size} per method, '
        f'AdamW lr {args.lr:g}, 10 % linear warm-up, cosine; seeds '
        f'{args.seeds}; MMEngine `Runner` with the data pipeline of '
        f'`{TEMPLATE}` (decord, every step)',
        '- GFLOPs: multiply-adds of the tiny backbone for one clip '
        '(`mmvidlm.utils.flops`); accuracies from `SyntheticMotionMetric`; '
        'UP: updated (trained) parameters, visual encoder / whole '
        'classifier', '',
        '| method | family | appearance acc (%) | direction acc (%) | '
        'translation dir. (%) | rotation dir. (%) | motion acc (%) | '
        'overall acc (%) | GFLOPs | UP visual (K) | UP all (K) |',
        '|---|---|---|---|---|---|---|---|---|---|---|'
    ]
    for s in summary:
        lines.append(
            f'| {s["method"]} | {s["family"]} | {pct(s, "appearance_acc")} '
            f'| {pct(s, "direction_acc")} | '
            f'{pct(s, "direction_circle_acc")} | '
            f'{pct(s, "direction_bar_acc")} | {pct(s, "motion_acc")} | '
            f'{pct(s, "acc")} | {s["gflops"]:.4f} | '
            f'{s["updated_params_visual"] / 1e3:.1f} | '
            f'{s["updated_params"] / 1e3:.1f} |')
    lines += [
        '', 'Mean ± standard deviation over seeds. Direction accuracy: how '
        'often a motion video\'s class outscores its reverse (circle moving '
        'left/right: translation; bar turning clockwise/anticlockwise: '
        'rotation); 50 % means the method cannot tell a motion from its '
        'reverse. Motion accuracy is the 6-way accuracy on the motion '
        'videos.', '', f'![accuracy vs GFLOPs]({plot_name})', ''
    ]
    with open(path, 'w') as f:
        f.write('\n'.join(lines))


def plot(summary: list, path: str) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 2, figsize=(12, 5), sharey=True)
    for ax, key, title in ((axes[0], 'direction_acc',
                            'direction within the motion pairs'),
                           (axes[1], 'appearance_acc', 'appearance classes')):
        for s in summary:
            color = FAMILY_COLORS.get(s['family'], 'gray')
            ax.errorbar(
                s['gflops'],
                100 * s[key],
                yerr=100 * s[key + '_std'],
                fmt='o',
                color=color,
                capsize=3)
            ax.annotate(
                s['method'], (s['gflops'], 100 * s[key]),
                fontsize=7,
                xytext=(4, 3),
                textcoords='offset points')
        ax.axhline(50, color='gray', lw=0.8, ls='--')
        ax.set_title(f'Accuracy: {title}')
        ax.set_xlabel('GFLOPs (tiny backbone, one clip)')
        ax.grid(alpha=0.3)
    axes[0].set_ylabel('validation accuracy (%), mean ± std over seeds')
    handles = [
        plt.Line2D([], [], marker='o', ls='', color=c, label=f)
        for f, c in FAMILY_COLORS.items()
    ]
    axes[1].legend(handles=handles, loc='lower right', fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main():
    args = parse_args()
    _init_worker()
    info = machine_info()
    start = time.time()
    naive = load_methods('synthetic')[0]
    methods = [naive] + [
        m for m in load_methods('synthetic', args.methods) if m != naive
    ]
    ckpt_dir = osp.join(args.data_root, 'pretrained')
    os.makedirs(ckpt_dir, exist_ok=True)
    os.makedirs(args.out_dir, exist_ok=True)

    ctx = multiprocessing.get_context('spawn')
    with ProcessPoolExecutor(
            args.workers, mp_context=ctx, initializer=_init_worker) as pool:
        # Kept for later runs with the same data and pre-training budget.
        ckpts = {
            seed:
            osp.join(
                ckpt_dir, f'naive_runner_{args.videos[0]}_{args.videos[1]}_'
                f'{args.pretrain_iters}it_bs{args.batch_size}_lr{args.lr:g}_'
                f'seed{seed}.pth')
            for seed in args.seeds
        }
        pretrain = [
            pool.submit(run, naive, seed, None, args, ckpts[seed])
            for seed in args.seeds
        ]
        pretrain_rows = [f.result() for f in pretrain]
        print('pre-training done: ' +
              ', '.join(f'seed {r["seed"]}: {100 * r["acc"]:.0f} %'
                        for r in pretrain_rows))
        futures = [
            pool.submit(run, method, seed, ckpts[seed], args)
            for seed in args.seeds for method in methods
        ]
        rows = []
        base = osp.join(args.out_dir, 'synthetic_benchmark')
        for future in futures:
            row = future.result()
            rows.append(row)
            print(f'{row["method"]} seed {row["seed"]}: appearance '
                  f'{100 * row["appearance_acc"]:.0f} %, direction '
                  f'{100 * row["direction_acc"]:.0f} % (translation '
                  f'{100 * row["direction_circle_acc"]:.0f} %, rotation '
                  f'{100 * row["direction_bar_acc"]:.0f} %) '
                  f'({row["seconds"]:.0f} s)')
            # Written after every run: a long run leaves usable results.
            info['wall_s'] = time.time() - start
            info['runs'] = f'{len(rows)} of {len(futures)}'
            write_outputs(rows, methods, pretrain_rows, args, info, base)
    print(open(base + '.md').read())
    print(f'written to {base}.md, .csv and .png '
          f'({info["wall_s"] / 60:.1f} min)')


def write_outputs(rows, methods, pretrain_rows, args, info, base) -> None:
    summary = summarise(rows, [m.name for m in methods])
    write_csv(rows, base + '.csv',
              ['method', 'family', 'seed', *ACCURACIES, *COST_KEYS])
    plot(summary, base + '.png')
    write_markdown(summary, pretrain_rows, args, info, base + '.md',
                   osp.basename(base) + '.png')


if __name__ == '__main__':
    main()
