# Copyright (c) mmvidlm authors. All rights reserved.
"""Test a checkpoint with MMEngine's Runner (MMAction2's tools/test.py)."""
import argparse
import logging
import os
import os.path as osp
from typing import Optional, Sequence

import cv2
import numpy as np
import torch
from mmengine.config import Config, DictAction
from mmengine.dist import is_main_process
from mmengine.fileio import dump, load
from mmengine.logging import print_log


def parse_args():
    """Parse the command line (MMAction2's flags)."""
    parser = argparse.ArgumentParser(description='Test a video model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--work-dir', help='the dir to save the logs')
    parser.add_argument(
        '--dump',
        type=str,
        help='dump the predictions to a pickle file for offline evaluation')
    parser.add_argument(
        '--show-dir',
        help='write each video\'s prediction there: VIDEO.json and '
        'VIDEO.jpg (frames of the video in a strip, the prediction below)')
    parser.add_argument(
        '--show',
        action='store_true',
        help='print each video\'s prediction (top-5 labels or caption)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, key=value')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def merge_args(cfg, args):
    """Merge command-line arguments into the config.

    Args:
        cfg (Config): The config loaded from the file.
        args (Namespace): The parsed command line.

    Returns:
        Config: ``cfg``, changed in place.
    """
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    cfg.load_from = args.checkpoint
    if args.dump is None and (args.show or args.show_dir):
        args.dump = osp.join(cfg.work_dir, 'test_predictions.pkl')
    if args.dump is not None:
        if not args.dump.endswith(('.pkl', '.pickle')):
            raise ValueError('--dump must name a .pkl or .pickle file')
        dump_metric = dict(type='DumpResults', out_file_path=args.dump)
        evaluator = cfg.test_evaluator
        cfg.test_evaluator = (list(evaluator) if isinstance(
            evaluator, (list, tuple)) else [evaluator]) + [dump_metric]
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    return cfg


def describe(result: dict, classes: Optional[Sequence[str]]) -> dict:
    """A prediction as JSON: top-5 labels or the caption, and the truth."""
    if 'pred_caption' in result:
        return dict(
            caption=result['pred_caption'],
            gt_captions=list(result.get('gt_captions', [])))
    scores = torch.as_tensor(result['pred_score']).float()
    best = scores.topk(min(5, len(scores)))
    name = (lambda i: classes[i]) if classes else int
    out = dict(top5=[
        dict(label=name(int(i)), score=round(float(s), 4))
        for s, i in zip(best.values, best.indices)
    ])
    if 'gt_label' in result:
        out['gt_label'] = name(int(torch.as_tensor(result['gt_label'])))
    return out


def frame_strip(video: str,
                text: str,
                num_frames: int = 8,
                height: int = 96) -> np.ndarray:
    """``num_frames`` frames of ``video`` side by side, ``text`` below (BGR).
    """
    import decord
    reader = decord.VideoReader(video)
    index = np.linspace(0, len(reader) - 1, num_frames).round().astype(int)
    frames = [
        cv2.resize(f, (round(f.shape[1] * height / f.shape[0]), height))
        for f in reader.get_batch(list(index)).asnumpy()
    ]
    strip = cv2.cvtColor(np.concatenate(frames, axis=1), cv2.COLOR_RGB2BGR)
    band = np.full((24, strip.shape[1], 3), 255, np.uint8)
    cv2.putText(band, text, (4, 17), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0),
                1, cv2.LINE_AA)
    return np.concatenate([strip, band])


def show_predictions(results: list, dataset, show_dir: Optional[str],
                     show: bool) -> None:
    """Print (``show``) and write (``show_dir``) every video's prediction.

    Args:
        results (list): The dumped predictions, in data-set order.
        dataset (BaseDataset): The test set (video files, class names).
        show_dir (str, optional): Where to write VIDEO.json and VIDEO.jpg.
        show (bool): Print one line per video.
    """
    if not any('pred_score' in r or 'pred_caption' in r for r in results):
        print_log(
            '--show/--show-dir: retrieval predictions are scores '
            'against the whole gallery; see the metrics instead.',
            logger='current',
            level=logging.WARNING)
        return
    classes = dataset.metainfo.get('classes')
    if show_dir:
        os.makedirs(show_dir, exist_ok=True)
    for index, result in enumerate(results):
        video = dataset.get_data_info(index).get('filename')
        name = (
            osp.splitext(osp.basename(video))[0] if video else f'{index:05d}')
        prediction = describe(result, classes)
        text = prediction['caption'] if 'caption' in prediction else \
            '{label} ({score:.2f})'.format(**prediction['top5'][0])
        if show:
            print(f'{name}: {text}')
        if show_dir:
            dump(
                dict(video=video, **prediction),
                osp.join(show_dir, f'{name}.json'),
                indent=1)
            if video:
                cv2.imwrite(
                    osp.join(show_dir, f'{name}.jpg'),
                    frame_strip(video, text))


def main():
    args = parse_args()
    from mmvidlm.utils import (build_runner, register_all_modules,
                               setup_cpu_distributed)
    register_all_modules()
    cfg = merge_args(Config.fromfile(args.config), args)
    setup_cpu_distributed(cfg, args.launcher)
    runner = build_runner(cfg)
    runner.test()
    if (args.show or args.show_dir) and is_main_process():
        show_predictions(
            load(args.dump), runner.test_dataloader.dataset, args.show_dir,
            args.show)


if __name__ == '__main__':
    main()
