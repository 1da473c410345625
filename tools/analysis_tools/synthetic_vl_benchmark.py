# Copyright (c) mmvidlm authors. All rights reserved.
"""Captioning, retrieval and question answering on the synthetic videos
with every video encoder of the video-language methods.

The plain BLIP encoder, token mixing, InTI and InTI + token mixing
(``methods.VL_METHODS``) are compared on the same tiny BLIP (the demos'
``configs/_base_/models/blip_tiny.py``: ViT 64 wide, 4 layers, 8 frames of
32², text transformers 64 wide, 2 layers), with the same data, steps,
batch, learning rate and schedule, for three tasks built from the synthetic
motion videos: captioning (CIDEr), text-video retrieval (R@1 both ways) and
question answering (accuracy overall and on the direction questions, whose
answer needs the order of the frames).

Every run is an MMEngine ``Runner`` built from the task's tiny token-mixing
demo config (``configs/demo/tokenmix_blip-tiny_synthetic-*.py``: data
pipeline, task model, optimizer) with the method's video encoder at the
tiny size and what the method's config trains merged over it (the same
budget as ``synthetic_benchmark.py``, :func:`apply_budget`; the learning
rate is each task's demo config's unless ``--lr`` is given). Protocol, for
each task:

1. "pre-training": the plain tiny BLIP (frames independent, no temporal
   modelling) is trained on the task from scratch, every parameter, once
   with the first seed (``--pretrain-per-seed``: once per seed, as the
   motion benchmark; a captioner that reads the video needs about 600
   steps, and three such runs per task do not fit the default budget); its
   checkpoint plays the role of the BLIP weights (a frozen random decoder
   or text encoder, as the configs' partial fine-tuning would leave it from
   scratch, learns nothing), and is kept under ``<data-root>/pretrained/``
   for later runs with the same data and budget;
2. for every seed, every method builds its config's encoder at the tiny
   size (InTI after blocks 2 and 3 of 4, as its 5 and 9 of 12), loads that
   checkpoint (new modules keep their initialisation) and fine-tunes what
   its config trains: for captioning the encoder's groups (token mixing:
   the token-mixing layer and ``lp``; plain and InTI: the last layer,
   ``lp``, and InTI's modules) and the language head (``lh``); for
   retrieval the same
   encoder groups plus the projections, temperature, ITM head and text
   encoder; for QA everything, as the QA recipe
   (``configs/tokenmix/blip-b_msrvtt-qa.py``) trains every parameter
   whatever the encoder base says (the encoder of the method's caption
   config);
3. ``Runner.test`` on the validation videos: ``CaptionMetric`` (CIDEr, no
   SPICE), ``RetrievalMetric`` after ITC ranking and ITM re-ranking of the
   retrieval configs' ``itm_topk`` best candidates (retrieval trains ITC and
   ITM with in-batch hard negatives; no momentum encoder or queue at this
   size), ``QAAccuracy`` (answers ranked in the answer list).

Outputs in ``benchmarks/results/``: ``synthetic_vl_benchmark.md`` (mean ±
std over seeds), ``.csv`` (one row per task, method and seed) and ``.png``
(quality against GFLOPs, one panel per task).

Example::

    python tools/analysis_tools/synthetic_vl_benchmark.py  # all, 3 seeds
    python tools/analysis_tools/synthetic_vl_benchmark.py \\
        --tasks qa --methods 'InTI +' --seeds 0 --iters 20
"""
import argparse
import datetime
import json
import multiprocessing
import os
import os.path as osp
import re
import statistics
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from typing import Dict, List, NamedTuple, Optional

from benchmark import machine_info
from methods import REPO, VLMethod, load_methods
from mmengine.config import Config
from synthetic_benchmark import (COST_KEYS, _init_worker, add_budget_args,
                                 apply_budget, model_costs, summarise,
                                 train_and_test, write_csv)

#: The tiny BLIP video encoder's settings (size and BLIP's layout), merged
#: over every method's encoder (its type, method layers and ``trainable``
#: stay the config's).
_TINY_BLIP = Config.fromfile(
    osp.join(REPO, 'configs/_base_/models/blip_tiny.py'))
TINY = {
    k: v
    for k, v in _TINY_BLIP.tiny_video_encoder.to_dict().items()
    if k not in ('type', 'layer_cfgs')
}
FAMILY_COLORS = {
    'baseline': 'black',
    'token mixing': 'tab:blue',
    'InTI': 'tab:red',
    'InTI + token mixing': 'tab:purple',
}


class Task(NamedTuple):
    """A video-language task of the benchmark.

    Args:
        template (str): The tiny demo config a run is built from.
        encoder_from (str): The key of ``VLMethod.configs`` whose encoder
            and trained parameters the task takes.
        recipe (str, optional): A config whose ``trainable`` (model's and
            encoder's) replaces the method config's: the QA recipe.
        metrics (dict): CSV / table keys and the metric keys they come from.
    """
    template: str
    encoder_from: str
    recipe: Optional[str]
    metrics: Dict[str, str]


TASKS = {
    'caption':
    Task('configs/demo/tokenmix_blip-tiny_synthetic-caption.py', 'caption',
         None, dict(cider='caption/CIDEr')),
    'retrieval':
    Task('configs/demo/tokenmix_blip-tiny_synthetic-retrieval.py', 'retrieval',
         None, dict(t2v_r1='retrieval/t2v_R@1', v2t_r1='retrieval/v2t_R@1')),
    'qa':
    Task(
        'configs/demo/tokenmix_blip-tiny_synthetic-qa.py', 'caption',
        'configs/tokenmix/blip-b_msrvtt-qa.py',
        dict(
            qa_acc='qa/accuracy',
            qa_direction_acc='qa/accuracy_direction',
            qa_color_acc='qa/accuracy_color',
            qa_shape_acc='qa/accuracy_shape')),
}
METRICS = tuple(k for task in TASKS.values() for k in task.metrics)
#: Column titles of the metrics (percent, or CIDEr x 100 as reported).
TITLES = dict(
    cider='CIDEr',
    t2v_r1='R@1 text→video (%)',
    v2t_r1='R@1 video→text (%)',
    qa_acc='QA acc (%)',
    qa_direction_acc='QA direction acc (%)',
    qa_color_acc='QA colour acc (%)',
    qa_shape_acc='QA shape acc (%)')


def parse_args():
    parser = argparse.ArgumentParser(
        description='Captioning, retrieval and QA of every video-language '
        'encoder on the synthetic videos')
    parser.add_argument(
        '--tasks',
        nargs='+',
        choices=list(TASKS),
        default=list(TASKS),
        help='tasks')
    parser.add_argument(
        '--methods',
        nargs='+',
        help='only these methods (substrings of their names; the plain '
        'encoder is the reference and always runs)')
    parser.add_argument(
        '--pretrain-per-seed',
        action='store_true',
        help='pre-train the plain model once per seed (the motion '
        'benchmark\'s protocol) instead of once per task with the first '
        'seed')
    add_budget_args(
        parser,
        iters=100,
        pretrain_iters=600,
        pretrain_help='steps of the plain model\'s "pre-training" on the '
        'task',
        lr=None,
        lr_help='AdamW learning rate of every task (default: each task\'s '
        'demo config\'s: 3e-3 for captioning, 1e-3 for retrieval and QA)',
        videos=(24, 8),
        data_root=osp.join(REPO, 'data', 'synthetic_vl_benchmark'),
        data_root_help='cache of the generated videos and pre-trained '
        'weights')
    return parser.parse_args()


def build_config(method: VLMethod, task: str, seed: int, iters: int,
                 args: argparse.Namespace, work_dir: str,
                 pretraining: bool) -> Config:
    """The Runner config of one run: the task's template with the
    method's tiny encoder, what it trains and the benchmark's budget.

    Args:
        method (VLMethod): The method.
        task (str): A key of :data:`TASKS`.
        seed (int): Seed of the weights, the data order and the sampling.
        iters (int): Training steps (schedule length).
        args (Namespace): The benchmark's settings (data, batch, lr).
        work_dir (str): The run's work directory.
        pretraining (bool): Train every parameter (the pre-training of
            the plain model) instead of what the method's config trains.

    Returns:
        Config: Ready for ``Runner.from_cfg``.
    """
    spec = TASKS[task]
    cfg = Config.fromfile(osp.join(REPO, spec.template))
    method_model = Config.fromfile(
        osp.join(REPO, method.configs[spec.encoder_from])).model
    # what trains: the method's config, or the task's recipe
    trainer = Config.fromfile(osp.join(
        REPO, spec.recipe)).model if spec.recipe else method_model
    backbone = {
        **method_model.backbone,
        **TINY,
        **method.tiny,
        'init_cfg':
        None,
        'trainable':
        None if pretraining else trainer.backbone.get(
            'trainable', method_model.backbone.get('trainable')),
    }
    model = {
        'model.backbone': dict(_delete_=True, **backbone),
        'model.trainable': None if pretraining else trainer.get('trainable')
    }
    if task == 'retrieval':  # ITC + ITM, re-ranked as the configs test
        model.update({
            f'model.{key}': method_model[key]
            for key in ('itm_topk', 'itm_loss_weight', 'negative_all_rank')
        })
    data = dict(
        data_root=args.data_root,
        num_videos=dict(train=args.videos[0], val=args.videos[1]))
    cfg.merge_from_dict({
        **model,
        'train_dataloader.batch_size': args.batch_size,
        'train_dataloader.dataset': data,
        'test_dataloader.batch_size': 32,
        'test_dataloader.dataset': data,
    })
    apply_budget(cfg, seed, iters, task_lr(task, args), work_dir)
    return cfg


def task_lr(task: str, args: argparse.Namespace) -> float:
    """The learning rate of a task: ``--lr``, or its demo config's."""
    if args.lr:
        return args.lr
    return Config.fromfile(osp.join(
        REPO, TASKS[task].template)).optim_wrapper.optimizer.lr


def run(method: VLMethod,
        task: str,
        seed: int,
        args: argparse.Namespace,
        pretrained: str,
        pretraining: bool = False) -> dict:
    """Train and test one method on one task with one seed (in a worker).

    With ``pretraining`` the run trains the plain model from scratch and
    saves its weights to ``pretrained`` (or only tests them when an earlier
    run saved them); otherwise it starts from ``pretrained``.
    """
    start = time.time()
    iters = args.pretrain_iters if pretraining else args.iters
    slug = re.sub(r'\W+', '-', method.name).strip('-')
    with tempfile.TemporaryDirectory(
            prefix=f'{task}_{slug}_seed{seed}_') as tmp:
        cfg = build_config(method, task, seed, max(iters, 1), args, tmp,
                           pretraining)
        if not pretraining:
            cfg.load_from = pretrained
        runner, metrics = train_and_test(cfg,
                                         pretrained if pretraining else None)
    row = dict(task=task, method=method.name, family=method.family, seed=seed)
    row.update({
        key: metrics[name]
        for key, name in TASKS[task].metrics.items()
    })
    row.update(model_costs(runner.model, TINY['num_frames'], TINY['img_size']))
    row['seconds'] = time.time() - start
    row['load_avg'] = os.getloadavg()[0]
    return row


def retrieval_ceilings(data_root: str) -> tuple:
    """Expected text-to-video R@1 (%) of a perfect order-aware model and of
    a perfect order-blind one on the validation videos: several videos
    share a caption's shape, colour and motion (ties broken at random), and
    an order-blind model also confuses a motion with its reverse."""
    from mmvidlm.datasets.synthetic import CLASSES, COLORS
    with open(osp.join(data_root, 'val_captions.json')) as f:
        videos = json.load(f)

    def colour(video):
        return next(w for c in video['captions'] for w in c.split()
                    if w in COLORS)

    def expected_r1(key):
        groups = Counter(key(v) for v in videos)
        hits = [len(v['captions']) / groups[key(v)] for v in videos]
        return 100 * sum(hits) / sum(len(v['captions']) for v in videos)

    aware = expected_r1(lambda v: (v['label'], colour(v)))
    blind = expected_r1(lambda v: (CLASSES[v['label']][0], colour(v)))
    return aware, blind


def paired_differences(rows: List[dict], method: str,
                       reference: str) -> List[str]:
    """``method`` minus ``reference``, per metric, paired by task and seed
    (both start from the same pre-trained weights): mean ± std over seeds
    and how many seeds the method is ahead, for the table's notes."""
    out = []
    for key in METRICS:
        runs = {
            (r['task'], r['seed']): r[key]
            for r in rows if r['method'] == reference and key in r
        }
        diffs = [
            r[key] - runs[r['task'], r['seed']] for r in rows
            if r['method'] == method and (r['task'], r['seed']) in runs
        ]
        if not diffs:
            continue
        std = statistics.stdev(diffs) if len(diffs) > 1 else 0.
        ahead = sum(d > 0 for d in diffs)
        out.append(f'{TITLES[key]} {statistics.mean(diffs):+.1f} ± '
                   f'{std:.1f} (ahead in {ahead} of {len(diffs)} seeds)')
    return out


def summarise_tasks(rows: List[dict], methods: List[VLMethod],
                    tasks: List[str]) -> Dict[str, list]:
    """Mean ± std over seeds per task and method, table order."""
    return {
        task:
        summarise([r for r in rows if r['task'] == task],
                  [m.name for m in methods], list(TASKS[task].metrics))
        for task in tasks
    }


def write_markdown(summary: Dict[str, list], rows: List[dict],
                   pretrain_rows: List[dict], args, info: dict, path: str,
                   plot_name: str) -> None:

    def value(s, key):
        if s is None:
            return '–'
        return f'{s[key]:.1f} ± {s[key + "_std"]:.1f}'

    names = list(
        dict.fromkeys(s['method'] for rows in summary.values() for s in rows))
    by_method = {
        name: {
            task: next((s for s in rows if s['method'] == name), None)
            for task, rows in summary.items()
        }
        for name in names
    }
    pretrained = '; '.join(
        f'{task}: ' + ', '.join(f'{r[key]:.1f}'
                                for r in pretrain_rows if r['task'] == task)
        for task, key in (('caption', 'cider'), ('retrieval', 't2v_r1'),
                          ('qa', 'qa_acc')) if task in summary)
    aware, blind = info['retrieval_ceilings']
    loads = info['load_avgs'] or [info['load_avg'][0]]
    lines = [
        '# Synthetic videos, video-language tasks: plain BLIP encoder, '
        'token mixing, InTI, InTI + token mixing', '',
        '- date: ' + datetime.datetime.now(
            datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
        f'- machine: {info["cpu"]}, {info["cores"]} cores, torch '
        f'{info["torch"]}, {args.workers} worker process(es), 1 thread '
        f'each; load average {info["load_avg"][0]:.2f} before, '
        f'{statistics.mean(loads):.2f} on average and {max(loads):.2f} at '
        f'most when a run ended (the benchmark\'s own workers count for '
        f'up to {args.workers}); wall '
        f'time {info["wall_s"] / 60:.1f} min for {info["runs"]} runs',
        '- model: the tiny BLIP of the demos '
        '(`configs/_base_/models/blip_tiny.py`: ViT 64 wide, 4 layers, '
        f'{TINY["num_frames"]} frames of {TINY["img_size"]}², patch '
        f'{TINY["patch_size"]}; text transformers 64 wide, 2 layers); each '
        'method\'s encoder is its config\'s (`methods.VL_METHODS`) at that '
        'size, InTI after blocks 2 and 3 of 4 (8 → 4 → 2 frames)',
        f'- data: {args.videos[0]} train / {args.videos[1]} val synthetic '
        'videos per class (6 classes, 17 frames, 8 sampled), captions, '
        'retrieval pairs and questions from `configs/_base_/datasets/'
        'synthetic_{caption,retrieval,qa}.py`',
        '- budget: "pre-training" of the plain model, every parameter, '
        f'{args.pretrain_iters} steps, ' +
        ('per task and seed' if args.pretrain_per_seed else
         f'once per task (seed {args.seeds[0]}), shared by every seed: '
         'a captioner that reads the video needs this many steps, three '
         'of them do not fit the budget, and the seeds then differ in '
         'fine-tuning only (data order, new modules\' initialisation)') +
        ' (a frozen random decoder or text encoder, as partial fine-tuning '
        'from scratch would leave it, learns nothing; its val ' + pretrained +
        f'); then {args.iters} steps per method from that '
        f'checkpoint; batch {args.batch_size}, AdamW lr ' +
        ', '.join(f'{task_lr(t, args):g} ({t})' for t in summary) +
        f', 10 % linear warm-up, cosine; seeds {args.seeds}; MMEngine '
        '`Runner` on the tiny token '
        'mixing demo config of each task (`configs/demo/'
        'tokenmix_blip-tiny_synthetic-*.py`)',
        '- trained per method (its configs\' `trainable`): captioning: the '
        'encoder\'s groups (plain: last layer + `lp`; token mixing: the '
        'token-mixing layer + `lp`; InTI: InTI modules + last layer + `lp`; '
        'InTI + token mixing: InTI modules + token-mixing layer + `lp`) and '
        'the language head; retrieval: the same encoder groups, the '
        'projections, temperature, ITM head and text encoder (ITC + ITM '
        'losses, no momentum encoder or queue); QA: every parameter (the QA '
        'recipe, `configs/tokenmix/blip-b_msrvtt-qa.py`), encoder of the '
        'method\'s caption config',
        '- metrics: CIDEr (`CaptionMetric`, ×100 as reported); R@1 after ITC '
        'ranking and ITM re-ranking of the configs\' `itm_topk` (128: every '
        'candidate here); chance R@1 text→video '
        f'{100 / (6 * args.videos[1]):.1f} %, a perfect model '
        f'{aware:.1f} % (videos sharing shape, colour and motion tie), a '
        f'perfect order-blind model {blind:.1f} %; QA answers ranked in '
        'the answer list: chance 25 % for colour and shape, 50 % for '
        'direction (left/right, clockwise/anticlockwise), which needs the '
        'order of the frames; GFLOPs: multiply-adds of the tiny video '
        'encoder for one clip (`mmvidlm.utils.flops`); UP: updated '
        '(trained) parameters, encoder / whole model', '',
        '| method | family | GFLOPs | ' + ' | '.join(TITLES[k]
                                                     for k in METRICS) + ' |',
        '|---|---|---|' + '---|' * len(METRICS)
    ]
    for name in names:
        runs = by_method[name]
        first = next(s for s in runs.values() if s)
        cells = [
            value(runs.get(task), key) for task, spec in TASKS.items()
            for key in spec.metrics
        ]
        lines.append(f'| {name} | {first["family"]} | '
                     f'{first["gflops"]:.4f} | ' + ' | '.join(cells) + ' |')
    lines += [
        '', 'Mean ± standard deviation over seeds. Updated parameters (K), '
        'encoder / whole model:', '',
        '| method | ' + ' | '.join(summary) + ' |',
        '|---|' + '---|' * len(summary)
    ]
    for name in names:
        cells = [
            f'{s["updated_params_visual"] / 1e3:.1f} / '
            f'{s["updated_params"] / 1e3:.1f}' if s else '–'
            for s in by_method[name].values()
        ]
        lines.append(f'| {name} | ' + ' | '.join(cells) + ' |')
    gflops = {
        name: next(s for s in runs.values() if s)['gflops']
        for name, runs in by_method.items()
    }
    combined = 'InTI + token mixing'
    notes = [
        f'- {combined} − {ref}: GFLOPs × {gflops[combined] / gflops[ref]:.3f}'
        '; ' + '; '.join(paired_differences(rows, combined, ref))
        for ref in ('token mixing', 'plain BLIP encoder', 'InTI')
        if combined in gflops and ref in gflops
    ]
    if notes:
        lines += [
            '', 'Differences paired by seed (same pre-trained weights), '
            'mean ± std over seeds:', '', *notes
        ]
    lines += ['', f'![quality vs GFLOPs]({plot_name})', '']
    with open(path, 'w') as f:
        f.write('\n'.join(lines))


def plot(summary: Dict[str, list], path: str) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    panels = dict(
        caption=(('cider', 'o', 'CIDEr'), ),
        retrieval=(('t2v_r1', 'o', 'text→video'), ('v2t_r1', 's',
                                                   'video→text')),
        qa=(('qa_acc', 'o', 'all questions'), ('qa_direction_acc', 's',
                                               'direction questions')))
    ylabels = dict(caption='CIDEr', retrieval='R@1 (%)', qa='accuracy (%)')
    fig, axes = plt.subplots(
        1, len(summary), figsize=(5 * len(summary), 4.5), squeeze=False)
    for ax, (task, rows) in zip(axes[0], summary.items()):
        for key, marker, label in panels[task]:
            for s in rows:
                ax.errorbar(
                    s['gflops'],
                    s[key],
                    yerr=s[key + '_std'],
                    fmt=marker,
                    color=FAMILY_COLORS.get(s['family'], 'gray'),
                    capsize=3)
            ax.plot([], [], marker, color='gray', ls='', label=label)
        if task == 'qa':
            ax.axhline(50, color='gray', lw=0.8, ls='--')
        for s in rows:
            ax.annotate(
                s['method'], (s['gflops'], s[panels[task][0][0]]),
                fontsize=7,
                xytext=(4, 3),
                textcoords='offset points')
        ax.set_title(task)
        ax.set_xlabel('GFLOPs (tiny video encoder, one clip)')
        ax.set_ylabel(ylabels[task] + ', mean ± std over seeds')
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc='lower right')
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_outputs(rows, pretrain_rows, methods, args, info, base) -> None:
    summary = summarise_tasks(rows, methods, args.tasks)
    write_csv(rows, base + '.csv',
              ['task', 'method', 'family', 'seed', *METRICS, *COST_KEYS])
    plot(summary, base + '.png')
    write_markdown(summary, rows, pretrain_rows, args, info, base + '.md',
                   osp.basename(base) + '.png')


def main():
    args = parse_args()
    _init_worker()
    from mmvidlm.datasets.synthetic import generate_synthetic_videos
    info = machine_info()
    start = time.time()
    plain = load_methods('vl')[0]
    methods = [plain
               ] + [m for m in load_methods('vl', args.methods) if m != plain]
    # generated once here, not by the workers
    generate_synthetic_videos(args.data_root,
                              dict(train=args.videos[0], val=args.videos[1]))
    info['retrieval_ceilings'] = retrieval_ceilings(args.data_root)
    ckpt_dir = osp.join(args.data_root, 'pretrained')
    os.makedirs(ckpt_dir, exist_ok=True)
    os.makedirs(args.out_dir, exist_ok=True)
    base = osp.join(args.out_dir, 'synthetic_vl_benchmark')

    ctx = multiprocessing.get_context('spawn')
    with ProcessPoolExecutor(
            args.workers, mp_context=ctx, initializer=_init_worker) as pool:
        pretrain_seeds = args.seeds if args.pretrain_per_seed \
            else args.seeds[:1]
        ckpts = {
            (task, seed):
            osp.join(
                ckpt_dir, f'plain_{task}_{args.videos[0]}_{args.videos[1]}_'
                f'{args.pretrain_iters}it_bs{args.batch_size}_'
                f'lr{task_lr(task, args):g}_seed{seed}.pth')
            for task in args.tasks
            for seed in pretrain_seeds
        }
        pretrain = {
            key: pool.submit(run, plain, *key, args, ckpt, True)
            for key, ckpt in ckpts.items()
        }
        pretrain_rows, futures = [], []
        for (task, pretrain_seed), future in pretrain.items():
            row = future.result()
            pretrain_rows.append(row)
            print(
                f'pre-training, {task} seed {pretrain_seed}: ' +
                ', '.join(f'{k} {row[k]:.1f}' for k in TASKS[task].metrics) +
                f' ({row["seconds"]:.0f} s)',
                flush=True)
            futures += [
                pool.submit(run, method, task, seed, args,
                            ckpts[task, pretrain_seed]) for seed in
                (args.seeds if not args.pretrain_per_seed else [pretrain_seed])
                for method in methods
            ]
        rows = []
        info['load_avgs'] = []
        for future in futures:
            row = future.result()
            rows.append(row)
            info['load_avgs'].append(row['load_avg'])
            print(
                f'{row["task"]} {row["method"]} seed {row["seed"]}: ' +
                ', '.join(f'{k} {row[k]:.1f}'
                          for k in TASKS[row['task']].metrics) +
                f' ({row["seconds"]:.0f} s)',
                flush=True)
            # Written after every run: a long run leaves usable results.
            info['wall_s'] = time.time() - start
            info['runs'] = f'{len(rows)} of {len(futures)} (+ ' \
                f'{len(pretrain_rows)} pre-training)'
            write_outputs(rows, pretrain_rows, methods, args, info, base)
    print(open(base + '.md').read())
    print(f'written to {base}.md, .csv and .png '
          f'({info["wall_s"] / 60:.1f} min)')


if __name__ == '__main__':
    main()
