# Copyright (c) mmvidlm authors. All rights reserved.
"""Train every method as a classifier on the synthetic motion videos.

Every method gets the same tiny ViT (64 wide, 4 layers, 8 frames of 32²),
the same initial weights, data, schedule and number of steps, so that the
table answers one question: which methods solve the *motion* classes (told
apart only by the order of the frames, so an order-blind model is at 50 %
within each pair) while keeping the *appearance* classes, at what GFLOPs
and how many updated parameters.

Protocol, for each seed:

1. "image pre-training": the naive per-frame ViT is trained on the videos
   from scratch (it learns shapes and colours, not motion); its backbone
   plays the role of the CLIP/BLIP checkpoint (kept under
   ``<data-root>/pretrained/`` and reused by later runs with the same data
   and pre-training budget);
2. every method builds the backbone of its config (``METHODS``) at the
   tiny size, loads that checkpoint (``init_cfg``; new modules keep their own initialisation),
   freezes what the method freezes (``TrainableParamsOptimWrapperConstructor``)
   and is fine-tuned as a ``Recognizer3D`` with the same budget;
3. accuracy on the validation videos, split into appearance and motion
   classes (``mmvidlm.datasets.APPEARANCE_CLASSES`` / ``MOTION_CLASSES``),
   and the direction accuracy within each motion pair
   (``mmvidlm.datasets.direction_accuracy``: translation of the circle,
   rotation of the bar; 50 % for an order-blind model).

The videos are decoded once with MMAction2's transforms and kept in memory;
training samples a random frame of each segment, as the synthetic data set
configs do (no crop: the shapes must stay whole). Runs go to a process
pool, one thread per process.

Outputs in ``benchmarks/results/``: ``synthetic_benchmark.md`` (mean ± std
over seeds), ``synthetic_benchmark.csv`` (one row per method and seed) and
``synthetic_benchmark.png`` (accuracy vs GFLOPs, error bars over seeds).

Example::

    python tools/analysis_tools/synthetic_benchmark.py  # ~15 min, 2 idle cores
    python tools/analysis_tools/synthetic_benchmark.py \\
        --methods naive InTI --seeds 0 --iters 20 --pretrain-iters 20
"""
import argparse
import copy
import csv
import datetime
import multiprocessing
import os
import os.path as osp
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Dict, List, NamedTuple, Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
#: The one tiny backbone every method is built on (CLIP-style, so that one
#: pre-trained checkpoint fits all of them).
TINY = dict(
    arch='tiny',
    patch_size=8,
    img_size=32,
    num_frames=8,
    out_type='cls_mean',
    pre_norm=True,
    act_cfg=dict(type='mmpretrain.QuickGELU'),
    norm_cfg=dict(type='LN', eps=1e-5),
    init_cfg=None)
#: Head, data preprocessor and optimizer of every classifier: the naive demo.
TEMPLATE = 'configs/demo/naive_vit-tiny_synthetic-motion.py'
#: The InTI family's insertion points on the 4-layer tiny ViT (the ViT-B
#: configs insert after blocks 5 and 9 of 12).
TINY_INTI = dict(inti_layers=(2, 3))
#: The last layer of the tiny ViT, where token mixing goes.
LAST_LAYER = dict(visual=[r'backbone\.layers\.3\.'])
BLIP_ENCODERS = 'configs/_base_/models/blip_encoders/'


class SyntheticMethod(NamedTuple):
    """A method of the benchmark: its config and the tiny overrides.

    The backbone of ``config`` is built with :data:`TINY` and ``backbone``
    merged over it. The trained parameters are the config's
    (``optim_wrapper.paramwise_cfg.trainable``, everything if it has none)
    unless ``trainable`` replaces them (layer indices of ViT-B do not exist
    in the tiny ViT); the head is always trained. Head, data, optimizer and
    budget are the benchmark's, the same for every method.
    """
    name: str
    family: str
    config: str
    backbone: dict = {}
    trainable: Optional[dict] = None


METHODS = (
    SyntheticMethod('naive', 'baseline', 'configs/naive/vit-b_k400.py'),
    SyntheticMethod('InTI', 'InTI', 'configs/inti/vit-b_k400.py', TINY_INTI),
    SyntheticMethod('InTI + UniFormerV2 modules', 'InTI',
                    'configs/inti/vit-b_uniformerv2_k400.py',
                    TINY_INTI),
    *(SyntheticMethod(
        name, 'compressive',
        f'configs/compressive/{prefix}_vit-b_uniformerv2_k400.py',
        TINY_INTI) for name, prefix in (('LinearPooling', 'linearpooling'),
                                        ('ConvPooling', 'convpooling'),
                                        ('ToMe', 'tome'), ('STA', 'sta'))),
    SyntheticMethod('token mixing (partial FT)', 'token mixing',
                    BLIP_ENCODERS + 'tokenmix_vit-b16.py',
                    dict(token_mix_layers=[3]), LAST_LAYER),
    SyntheticMethod('token mixing (full FT)', 'token mixing',
                    BLIP_ENCODERS + 'tokenmix_vit-b16.py',
                    dict(token_mix_layers=[3]),
                    dict(visual=[r'backbone\.'])),
    SyntheticMethod('last layer (partial FT, no mixing)', 'PEFT',
                    BLIP_ENCODERS + 'plain_vit-b16.py', {}, LAST_LAYER),
    SyntheticMethod('ViViT (full FT)', 'PEFT',
                    BLIP_ENCODERS + 'vivit_vit-b16.py'),
    SyntheticMethod('temporal FT', 'PEFT',
                    BLIP_ENCODERS + 'temporal_ft_vit-b16.py'),
    SyntheticMethod('dual-channel attention', 'PEFT',
                    BLIP_ENCODERS + 'dual_attention_vit-b16.py'),
    # bottlenecks at the ViT-B ratios (48 / 768, 384 / 768) of 64 channels
    SyntheticMethod('Adapter', 'PEFT', BLIP_ENCODERS + 'adapter_vit-b16.py',
                    dict(layer_cfgs=dict(type='AdapterLayer', bottleneck=4))),
    SyntheticMethod(
        'ST-Adapter', 'PEFT', BLIP_ENCODERS + 'st_adapter_vit-b16.py',
        dict(layer_cfgs=dict(type='STAdapterLayer', adapter_channels=32))),
    SyntheticMethod('BitFit', 'PEFT', BLIP_ENCODERS + 'bitfit_vit-b16.py'),
)
#: Accuracies of a run (fractions), as ``evaluate`` returns them.
ACCURACIES = ('acc', 'appearance_acc', 'motion_acc', 'direction_acc',
              'direction_circle_acc', 'direction_bar_acc')
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
    parser.add_argument(
        '--seeds', type=int, nargs='+', default=[0, 1, 2], help='seeds')
    parser.add_argument(
        '--iters', type=int, default=400, help='fine-tuning steps')
    parser.add_argument(
        '--pretrain-iters',
        type=int,
        default=800,
        help='steps of the naive "image pre-training"')
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument(
        '--lr', type=float, default=1e-3, help='AdamW learning rate')
    parser.add_argument(
        '--workers',
        type=int,
        default=min(2, os.cpu_count() or 1),
        help='parallel runs (one thread each)')
    parser.add_argument(
        '--videos',
        type=int,
        nargs=2,
        default=(64, 32),
        metavar=('TRAIN', 'VAL'),
        help='synthetic videos per class')
    parser.add_argument(
        '--data-root',
        default=osp.join(REPO, 'data', 'synthetic_benchmark'),
        help='cache of the generated videos')
    parser.add_argument(
        '--out-dir',
        default=osp.join(REPO, 'benchmarks', 'results'),
        help='where the table, CSV and plot go')
    return parser.parse_args()


def decode_videos(data_root: str, train: int, val: int) -> str:
    """Generate, decode once and cache all frames; return the cache path.

    The cache holds, per split, uint8 frames (N, T0, H, W, 3), every frame
    of the videos decoded by MMAction2's ``DecordInit`` / ``SampleFrames`` /
    ``DecordDecode``, and the labels (N, ).
    """
    from mmvidlm.datasets import SyntheticVideoDataset
    from mmvidlm.datasets.synthetic import NUM_FRAMES as num_frames
    path = osp.join(data_root, f'decoded_{train}_{val}_{num_frames}f.pt')
    if osp.exists(path):
        return path
    num_videos = dict(train=train, val=val)
    splits = {}
    for split in ('train', 'val'):
        dataset = SyntheticVideoDataset(
            data_root=data_root,
            split=split,
            num_videos=num_videos,
            num_frames=num_frames,
            pipeline=[
                dict(type='DecordInit'),
                dict(
                    type='SampleFrames',
                    clip_len=num_frames,
                    num_clips=1,
                    test_mode=True),
                dict(type='DecordDecode'),
            ])
        samples = [dataset[i] for i in range(len(dataset))]
        splits[split] = dict(
            frames=torch.from_numpy(
                np.stack([np.stack(s['imgs']) for s in samples])),
            labels=torch.tensor([s['label'] for s in samples]))
    torch.save(splits, path + '.tmp')
    os.replace(path + '.tmp', path)
    return path


def make_clips(frames: torch.Tensor, num_frames: int, size: int,
               gen: Optional[torch.Generator]) -> torch.Tensor:
    """Sample clips for the recognizer from decoded videos, as MMAction2's
    ``UniformSample`` does.

    Args:
        frames (Tensor): uint8 (B, T0, H, W, 3).
        num_frames (int): Frames per clip.
        size (int): Output side.
        gen (Generator, optional): Random source for training (a random
            frame of each of ``num_frames`` segments, ends included); None
            gives the test view (the middle frame of each segment).

    Returns:
        Tensor: float (B, 1, 3, num_frames, size, size), 0-255.
    """
    B, T0 = frames.shape[:2]
    seg = (T0 - 1) / num_frames
    bounds = torch.from_numpy(np.round(seg * np.arange(num_frames + 1)))
    starts, lengths = bounds[:-1].long(), (bounds.diff() + 1).long()
    if gen is None:
        index = (starts + int(seg / 2)).expand(B, -1)  # (B, T)
    else:
        index = starts + (torch.rand(B, num_frames, generator=gen) *
                          lengths).long()
    clips = frames[torch.arange(B)[:, None], index]  # (B, T, H, W, 3)
    clips = clips.permute(0, 4, 1, 2, 3).float()  # (B, 3, T, H, W)
    out = F.interpolate(
        clips.flatten(1, 2), size=(size, size), mode='bilinear',
        antialias=True, align_corners=False)
    return out.unflatten(1, (3, num_frames)).unsqueeze(1)


def data_samples(labels: torch.Tensor) -> list:
    from mmaction.structures import ActionDataSample
    return [ActionDataSample().set_gt_label(int(y)) for y in labels]


def build_classifier(method: SyntheticMethod, pretrained: Optional[str],
                     lr: float, iters: int):
    """The method's Recognizer3D, its optimizer wrapper and schedulers
    (linear warm-up over the first 10 % of the steps, then cosine)."""
    from mmengine.config import Config
    from mmengine.optim import (CosineAnnealingLR, LinearLR,
                                build_optim_wrapper)

    from mmvidlm.registry import MODELS
    template = Config.fromfile(osp.join(REPO, TEMPLATE))
    cfg = Config.fromfile(osp.join(REPO, method.config))
    model_cfg = copy.deepcopy(template.model)
    model_cfg.backbone = {**cfg.model.backbone, **TINY, **method.backbone}
    if pretrained:
        model_cfg.backbone.init_cfg = dict(
            type='Pretrained', checkpoint=pretrained, prefix='backbone.')
    model = MODELS.build(model_cfg)
    model.init_weights()
    optim_cfg = copy.deepcopy(template.optim_wrapper)
    optim_cfg.optimizer.lr = lr
    trainable = method.trainable or cfg.get('optim_wrapper', {}).get(
        'paramwise_cfg', {}).get('trainable')
    if trainable:
        optim_cfg.constructor = 'TrainableParamsOptimWrapperConstructor'
        optim_cfg.paramwise_cfg = dict(
            trainable=dict(copy.deepcopy(trainable), head=[r'cls_head\.']))
    optim_wrapper = build_optim_wrapper(model, optim_cfg)
    warmup = max(iters // 10, 1)
    schedulers = [
        LinearLR(optim_wrapper, start_factor=0.1, by_epoch=False, begin=0,
                 end=warmup),
        CosineAnnealingLR(optim_wrapper, T_max=max(iters - warmup, 1),
                          eta_min=lr * 0.01, by_epoch=False, begin=warmup,
                          end=max(iters, warmup + 1))
    ]
    return model, optim_wrapper, schedulers


def train(model, optim_wrapper, schedulers, data: dict, iters: int,
          batch_size: int, gen: torch.Generator) -> None:
    model.train()
    frames, labels = data['frames'], data['labels']
    T, size = TINY['num_frames'], TINY['img_size']
    for _ in range(iters):
        idx = torch.randint(len(labels), (batch_size, ), generator=gen)
        batch = dict(
            inputs=list(make_clips(frames[idx], T, size, gen)),
            data_samples=data_samples(labels[idx]))
        model.train_step(batch, optim_wrapper)
        for scheduler in schedulers:
            scheduler.step()


@torch.no_grad()
def evaluate(model, data: dict, batch_size: int = 64) -> Dict[str, float]:
    """Accuracy overall, on the appearance and on the motion classes, and
    the direction accuracy within the motion pairs."""
    from mmvidlm.datasets import (APPEARANCE_CLASSES, MOTION_CLASSES,
                                  direction_accuracy)
    model.eval()
    frames, labels = data['frames'], data['labels']
    scores = []
    for start in range(0, len(labels), batch_size):
        sl = slice(start, start + batch_size)
        out = model.test_step(
            dict(
                inputs=list(
                    make_clips(frames[sl], TINY['num_frames'],
                               TINY['img_size'], None)),
                data_samples=data_samples(labels[sl])))
        scores += [s.pred_score for s in out]
    scores = torch.stack(scores)
    correct = scores.argmax(dim=1) == labels

    def acc(classes):
        mask = torch.isin(labels, torch.tensor(classes))
        return correct[mask].float().mean().item()

    direction = direction_accuracy(scores.numpy(), labels.numpy())
    return dict(
        acc=correct.float().mean().item(),
        appearance_acc=acc(APPEARANCE_CLASSES),
        motion_acc=acc(MOTION_CLASSES),
        **{f'{k}_acc': v
           for k, v in direction.items()})


def _init_worker() -> None:
    from mmvidlm.utils import register_all_modules
    from mmvidlm.utils.benchmark import quiet_logs
    torch.set_num_threads(1)
    # Runs are many: only errors are worth printing from the workers.
    quiet_logs('ERROR')
    register_all_modules()


def run(method: SyntheticMethod, seed: int, cache: str,
        pretrained: Optional[str], args: argparse.Namespace,
        save_to: Optional[str] = None) -> dict:
    """Train and evaluate one method with one seed (in a worker)."""
    from mmengine.runner import set_random_seed

    from mmvidlm.models.utils import updated_params
    from mmvidlm.utils.flops import count_macs
    start = time.time()
    set_random_seed(seed)
    data = torch.load(cache)
    iters = args.pretrain_iters if save_to else args.iters
    if save_to and osp.exists(save_to):  # pre-trained by an earlier run
        pretrained, iters = save_to, 0
    model, optim_wrapper, schedulers = build_classifier(
        method, pretrained, args.lr, max(iters, 1))
    gen = torch.Generator().manual_seed(seed)
    train(model, optim_wrapper, schedulers, data['train'], iters,
          args.batch_size, gen)
    if save_to and iters:
        torch.save(dict(state_dict=model.state_dict()), save_to + '.tmp')
        os.replace(save_to + '.tmp', save_to)
    row = dict(method=method.name, family=method.family, seed=seed)
    row.update(evaluate(model, data['val']))
    T, size = TINY['num_frames'], TINY['img_size']
    # Counted on a meta copy, as tools/analysis_tools/get_flops.py does.
    backbone = copy.deepcopy(model.backbone).eval().requires_grad_(False)
    row['gflops'] = count_macs(
        backbone.to('meta'),
        torch.zeros(1, 3, T, size, size, device='meta')) / 1e9
    parts = updated_params(model)
    row['updated_params_visual'] = parts['backbone'][1]
    row['updated_params'] = sum(trained for _, trained in parts.values())
    row['total_params'] = sum(total for total, _ in parts.values())
    row['seconds'] = time.time() - start
    return row


def summarise(rows: List[dict], methods: Sequence[SyntheticMethod]) -> list:
    """Mean and standard deviation over seeds, per method, table order."""
    out = []
    for method in methods:
        runs = [r for r in rows if r['method'] == method.name]
        if not runs:
            continue
        summary = dict(runs[0], seeds=len(runs))
        for key in ACCURACIES:
            values = [r[key] for r in runs]
            summary[key] = statistics.mean(values)
            summary[key + '_std'] = statistics.stdev(values) \
                if len(values) > 1 else 0.
        out.append(summary)
    return out


def write_csv(rows: List[dict], path: str) -> None:
    keys = [
        'method', 'family', 'seed', *ACCURACIES, 'gflops',
        'updated_params_visual', 'updated_params', 'total_params', 'seconds'
    ]
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
        '',
        '- date: ' + datetime.datetime.now(
            datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
        f'- machine: {info["cpu"]}, {info["cores"]} cores, torch '
        f'{info["torch"]}, {args.workers} worker process(es), 1 thread '
        f'each; load average before {info["load_avg"][0]:.2f}, wall time '
        f'{info["wall_s"] / 60:.1f} min for {info["runs"]} runs',
        f'- backbone: tiny ViT (64 wide, 4 layers, 4 heads), '
        f'{TINY["num_frames"]} frames of {TINY["img_size"]}², patch '
        f'{TINY["patch_size"]}',
        f'- data: {args.videos[0]} train / {args.videos[1]} val videos per '
        'class, 17 frames each (8 sampled); 4 motion classes (pairs that differ only by frame order: '
        'chance within a pair is 50 %), 2 appearance classes',
        f'- budget: "image pre-training" of the naive ViT for '
        f'{args.pretrain_iters} steps (per seed; val accuracy '
        + ', '.join(f'{100 * r["acc"]:.0f} %' for r in pretrain_rows) +
        f'), then {args.iters} steps of batch {args.batch_size} per method, '
        f'AdamW lr {args.lr:g}, 10 % linear warm-up, cosine; seeds '
        f'{args.seeds}',
        '- GFLOPs: multiply-adds of the tiny backbone for one clip '
        '(`mmvidlm.utils.flops`); UP: updated (trained) parameters, visual '
        'encoder / whole classifier', '',
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
        'videos.', '',
        f'![accuracy vs GFLOPs]({plot_name})', ''
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
                           (axes[1], 'appearance_acc',
                            'appearance classes')):
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
    from mmvidlm.utils.benchmark import machine_info
    _init_worker()
    info = machine_info()
    start = time.time()
    methods = [
        m for m in METHODS if m.name == 'naive' or not args.methods or any(
            s.lower() in m.name.lower() for s in args.methods)
    ]
    cache = decode_videos(args.data_root, *args.videos)
    ckpt_dir = osp.join(args.data_root, 'pretrained')
    os.makedirs(ckpt_dir, exist_ok=True)
    os.makedirs(args.out_dir, exist_ok=True)

    ctx = multiprocessing.get_context('spawn')
    with ProcessPoolExecutor(
            args.workers, mp_context=ctx, initializer=_init_worker) as pool:
        # Kept for later runs with the same data and pre-training budget.
        ckpts = {
            seed: osp.join(
                ckpt_dir, f'naive_{osp.basename(cache)[:-3]}_'
                f'{args.pretrain_iters}it_bs{args.batch_size}_lr{args.lr:g}_'
                f'seed{seed}.pth')
            for seed in args.seeds
        }
        pretrain = [
            pool.submit(run, METHODS[0], seed, cache, None, args,
                        ckpts[seed]) for seed in args.seeds
        ]
        pretrain_rows = [f.result() for f in pretrain]
        print('pre-training done: ' + ', '.join(
            f'seed {r["seed"]}: {100 * r["acc"]:.0f} %'
            for r in pretrain_rows))
        futures = [
            pool.submit(run, method, seed, cache, ckpts[seed], args)
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
    summary = summarise(rows, methods)
    write_csv(rows, base + '.csv')
    plot(summary, base + '.png')
    write_markdown(summary, pretrain_rows, args, info, base + '.md',
                   osp.basename(base) + '.png')


if __name__ == '__main__':
    main()
