# Copyright (c) mmvidlm authors. All rights reserved.
"""Test-time throughput of a config end to end: decoding, the data
pipeline and the model, and the share of time spent waiting for data.

The config's test pipeline (decord, sampling, resizing, crops) reads real
video files written by this tool: the built-in synthetic videos (17
frames of 64², MJPEG) and a long video (``--long-seconds`` at 30 fps,
340×256, MPEG-4 part 2 with inter frames, like a Kinetics clip). For each
data source, number of test views (``CLIPSxCROPS``: K400's 4×3 is 4
clips of the video × 3 crops of each frame) and ``num_workers`` of the
data loader, the model (random weights, ``model.test_step``: data
preprocessor and ``predict``) tests ``--num-videos`` videos one at a time;
the first is untimed (worker start-up, first calls). Reported per video:
the time waiting for the data loader and the time in the model; their
ratio tells whether more workers (data-bound) or a faster model / fewer
views (model-bound) would help.

Examples::

    # the InTI-B config, K400's test pipeline (16 frames, 224², 4x3 views)
    python tools/analysis_tools/e2e_throughput.py configs/inti/vit-b_k400.py
    # the same pipeline with a tiny backbone: where data loading dominates
    python tools/analysis_tools/e2e_throughput.py configs/inti/vit-b_k400.py \\
        --cfg-options model.backbone.arch=tiny \\
        "model.backbone.inti_layers=(2,3)" model.cls_head.in_channels=64
    python tools/analysis_tools/e2e_throughput.py CONFIG --device cuda

Writes ``benchmarks/results/e2e_throughput_<device>.md`` (``--out``).
"""
import argparse
import copy
import datetime
import os
import os.path as osp
import shlex
import sys
import time
from typing import List, Tuple

import cv2
import numpy as np
import torch
from benchmark import (build_benchmark_model, machine_info, quiet_logs,
                       synchronize)
from methods import REPO
from mmengine.config import Config, DictAction

SAMPLERS = ('UniformSample', 'SampleFrames')
CROPS = {1: 'CenterCrop', 3: 'ThreeCrop'}
LONG_SIZE = (340, 256)  # width, height
LONG_FPS = 30


def parse_views(text: str) -> Tuple[int, int]:
    try:
        clips, crops = map(int, text.lower().split('x'))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'views must be CLIPSxCROPS, e.g. 4x3, got {text!r}')
    if clips < 1 or crops not in CROPS:
        raise argparse.ArgumentTypeError(
            f'views {text!r}: clips >= 1 and crops in {sorted(CROPS)}')
    return clips, crops


def parse_args():
    parser = argparse.ArgumentParser(
        description='End-to-end test throughput: decoding, pipeline, model')
    parser.add_argument('config', help='config file path')
    parser.add_argument(
        '--data',
        nargs='+',
        choices=['synthetic', 'long'],
        default=['synthetic', 'long'],
        help='video sources')
    parser.add_argument(
        '--views',
        type=parse_views,
        nargs='+',
        default=[(1, 1), (4, 3)],
        help='test views CLIPSxCROPS (default: 1x1 4x3)')
    parser.add_argument(
        '--num-workers',
        type=int,
        nargs='+',
        default=[0, 1, 2],
        help='data loader workers to compare')
    parser.add_argument(
        '--num-videos',
        type=int,
        default=4,
        help='videos per setting, the first untimed')
    parser.add_argument(
        '--long-seconds', type=float, default=10., help='long video length')
    parser.add_argument(
        '--device', choices=['cpu', 'cuda'], default='cpu', help='device')
    parser.add_argument(
        '--work-dir',
        default=osp.join(REPO, 'data', 'e2e_throughput'),
        help='where the videos are written')
    parser.add_argument(
        '--out',
        help='markdown file (default: benchmarks/results/'
        'e2e_throughput_<device>.md)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, key=value')
    args = parser.parse_args()
    if args.num_videos < 2:
        parser.error('--num-videos must be at least 2 (the first is untimed)')
    return args


def write_long_video(path: str, seconds: float) -> None:
    """A moving textured scene, MPEG-4 part 2 (inter-coded frames)."""
    if osp.exists(path):
        return
    w, h = LONG_SIZE
    rng = np.random.RandomState(0)
    texture = rng.randint(0, 256, (h * 2, w * 2, 3), dtype=np.uint8)
    texture = cv2.GaussianBlur(texture, (9, 9), 3)
    writer = cv2.VideoWriter(path + '.tmp.mp4',
                             cv2.VideoWriter_fourcc(*'mp4v'), LONG_FPS, (w, h))
    if not writer.isOpened():
        raise RuntimeError('OpenCV cannot write MPEG-4 (mp4v) videos here.')
    for i in range(int(seconds * LONG_FPS)):
        x, y = (3 * i) % w, (2 * i) % h  # a camera pan
        writer.write(texture[y:y + h, x:x + w])
    writer.release()
    os.replace(path + '.tmp.mp4', path)


def video_list(source: str, work_dir: str, num_videos: int,
               seconds: float) -> Tuple[str, str, str]:
    """(annotation file, video folder, description) of a data source."""
    if source == 'synthetic':
        from mmvidlm.datasets import generate_synthetic_videos
        from mmvidlm.datasets.synthetic import NUM_FRAMES
        root = osp.join(work_dir, 'synthetic')
        # 6 classes: enough videos per class for num_videos in total
        per_class = -(-num_videos // 6)
        generate_synthetic_videos(root, dict(val=per_class), NUM_FRAMES)
        return (osp.join(root, 'val_list.txt'), osp.join(root, 'videos'),
                f'synthetic, {NUM_FRAMES} frames of 64² (MJPEG)')
    os.makedirs(work_dir, exist_ok=True)
    name = f'long_{seconds:g}s.mp4'
    write_long_video(osp.join(work_dir, name), seconds)
    ann = osp.join(work_dir, f'long_{seconds:g}s_list.txt')
    with open(ann, 'w') as f:  # the same file, read num_videos times
        f.write(f'{name} 0\n' * num_videos)
    return (ann, work_dir, f'long, {seconds:g} s at {LONG_FPS} fps, '
            f'{LONG_SIZE[0]}×{LONG_SIZE[1]} (MPEG-4)')


def pipeline_with_views(cfg: Config, clips: int, crops: int) -> List[dict]:
    """The config's test pipeline with ``clips`` × ``crops`` views."""
    pipeline = copy.deepcopy(cfg.test_dataloader.dataset.pipeline)
    samplers = [t for t in pipeline if t['type'] in SAMPLERS]
    if not samplers:
        raise ValueError(f'The test pipeline of the config has no '
                         f'{" / ".join(SAMPLERS)} step to set the clips in.')
    samplers[0]['num_clips'] = clips
    crop_steps = [
        i for i, t in enumerate(pipeline) if t['type'] in CROPS.values()
    ]
    if crop_steps:
        old = pipeline[crop_steps[0]]
        pipeline[crop_steps[0]] = dict(
            type=CROPS[crops], crop_size=old['crop_size'])
    elif crops > 1:
        raise ValueError(f'{crops} crops asked for, but the test pipeline of '
                         'the config has no crop step to replace.')
    return pipeline


def time_setting(model, cfg, ann_file: str, video_dir: str, clips: int,
                 crops: int, num_workers: int, num_videos: int,
                 device: str) -> dict:
    """Seconds per video waiting for data and in the model."""
    from mmengine.runner import Runner
    loader = Runner.build_dataloader(
        dict(
            batch_size=1,
            num_workers=num_workers,
            persistent_workers=False,
            sampler=dict(type='DefaultSampler', shuffle=False),
            dataset=dict(
                type='VideoDataset',
                ann_file=ann_file,
                data_prefix=dict(video=video_dir),
                pipeline=pipeline_with_views(cfg, clips, crops),
                test_mode=True,
                indices=num_videos)))
    data_s = model_s = 0.
    timed = 0
    with torch.inference_mode():
        batches = iter(loader)
        model.test_step(next(batches))  # untimed: start-up, first calls
        synchronize(torch.device(device))
        start = time.perf_counter()
        for batch in batches:
            got = time.perf_counter()
            data_s += got - start
            model.test_step(batch)
            synchronize(torch.device(device))
            start = time.perf_counter()
            model_s += start - got
            timed += 1
    return dict(data_s=data_s / timed, model_s=model_s / timed, videos=timed)


def main():
    args = parse_args()
    quiet_logs()
    from mmvidlm.utils import register_all_modules
    register_all_modules()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    model = build_benchmark_model(cfg.model).to(args.device).eval()
    info = machine_info(args.device)
    load_before = os.getloadavg()
    rows = []
    for source in args.data:
        ann, video_dir, desc = video_list(source, args.work_dir,
                                          args.num_videos, args.long_seconds)
        for clips, crops in args.views:
            for workers in args.num_workers:
                res = time_setting(model, cfg, ann, video_dir, clips, crops,
                                   workers, args.num_videos, args.device)
                res.update(
                    data=desc, views=f'{clips}×{crops}', workers=workers)
                rows.append(res)
                total = res['data_s'] + res['model_s']
                print(f'{source} {clips}x{crops} workers {workers}: '
                      f'{1 / total:.2f} videos/s, data {res["data_s"]:.3f} '
                      f's, model {res["model_s"]:.3f} s per video')
    text = render(rows, args, info, load_before, os.getloadavg())
    out = args.out or osp.join(REPO, 'benchmarks', 'results',
                               f'e2e_throughput_{args.device}.md')
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    with open(out, 'w') as f:
        f.write(text)
    print(text)
    print(f'written to {out}')


def render(rows, args, info, load_before, load_after) -> str:
    device = info.get('gpu', f'{info["cpu"]}, {info["cores"]} cores')
    command = 'python ' + ' '.join(
        shlex.quote(a if i else osp.relpath(a, REPO))
        for i, a in enumerate(sys.argv))
    lines = [
        f'# End-to-end test throughput ({args.device})', '',
        f'- command: `{command}`', '- date: ' + datetime.datetime.now(
            datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
        f'- device: {device} (torch threads: {info["torch_threads"]}), '
        f'torch {info["torch"]}', f'- load average (1/5/15 min) before: '
        f'{"/".join(f"{x:.2f}" for x in load_before)}, after: '
        f'{"/".join(f"{x:.2f}" for x in load_after)}',
        f'- config: `{osp.relpath(osp.abspath(args.config), REPO)}`' +
        (f' with `{args.cfg_options}`' if args.cfg_options else '') +
        ', random weights; one video per batch; test pipeline of the '
        'config with the views set (sampler `num_clips`, `CenterCrop` or '
        '`ThreeCrop`)',
        f'- per setting: {args.num_videos} videos, the first untimed; '
        'data: time waiting for the data loader (decoding and the '
        'pipeline, overlapped with the model when workers > 0); model: '
        '`model.test_step` (data preprocessor and predict)', '',
        '| videos | views | num_workers | videos/s | data (s/video) | '
        'model (s/video) | waiting for data |', '|' + '---|' * 7
    ]
    for r in rows:
        total = r['data_s'] + r['model_s']
        lines.append(
            f'| {r["data"]} | {r["views"]} | {r["workers"]} | '
            f'{1 / total:.2f} | {r["data_s"]:.3f} | {r["model_s"]:.3f} | '
            f'{r["data_s"] / total:.0%} |')
    lines += [
        '', 'With workers, decoding runs in other processes: the data time '
        'is what the model still waits for. Where it stays high with more '
        'workers the machine has no spare cores for decoding.', ''
    ]
    return '\n'.join(lines)


if __name__ == '__main__':
    main()
