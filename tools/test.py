# Copyright (c) mmvidlm authors. All rights reserved.
"""Test a checkpoint with MMEngine's Runner (MMAction2's tools/test.py)."""
import argparse
import os
import os.path as osp

from mmengine.config import Config, DictAction
from mmengine.runner import Runner


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


def main():
    args = parse_args()
    from mmvidlm.utils import register_all_modules, setup_cpu_distributed
    register_all_modules()
    cfg = merge_args(Config.fromfile(args.config), args)
    setup_cpu_distributed(cfg, args.launcher)
    runner = Runner.from_cfg(cfg)
    runner.test()


if __name__ == '__main__':
    main()
