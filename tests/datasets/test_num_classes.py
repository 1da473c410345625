# Copyright (c) mmvidlm authors. All rights reserved.
"""Labels the model has no class for stop a run before its first step."""
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.runner import Runner

from mmvidlm.datasets import AnnotationError, RobustVideoDataset
from mmvidlm.utils import register_all_modules
from tests.conftest import REPO_ROOT

register_all_modules()

CONFIG = f'{REPO_ROOT}/configs/demo/naive_vit-tiny_synthetic-motion.py'


def runner_on_list(tmp_path, root, labels, loader='test', **dataset_args):
    """The demo recognizer (6 classes) with its ``loader`` reading a list of
    the synthetic videos of ``root`` with the given labels."""
    ann = tmp_path / 'list.txt'
    ann.write_text(''.join(f'val_{i:05d}.mp4 {label}\n'
                           for i, label in enumerate(labels)))
    cfg = Config.fromfile(CONFIG)
    cfg.work_dir = str(tmp_path / 'work')
    dataloader = cfg[f'{loader}_dataloader']
    dataloader.dataset = dict(
        type='RobustVideoDataset',
        ann_file=str(ann),
        data_prefix=dict(video=osp.join(root, 'videos')),
        pipeline=dataloader.dataset.pipeline,
        test_mode=loader == 'test',
        **dataset_args)
    dataloader.batch_size = 4
    cfg.val_dataloader = cfg.val_cfg = cfg.val_evaluator = None
    return Runner.from_cfg(cfg)


@pytest.mark.parametrize('loader', ['train', 'test'])
def test_label_beyond_the_head_stops_the_run(tmp_path, synthetic_data_root,
                                             loader):
    # No num_classes in the data set: the hook checks its largest label.
    runner = runner_on_list(tmp_path, synthetic_data_root, [0, 5, 6, 1],
                            loader)
    with pytest.raises(
            AnnotationError,
            match=r'list.txt, line 3: label 6 is out of the '
            r'range of model.cls_head.num_classes=6'):
        getattr(runner, loader)()
    assert runner.iter == 0


def test_in_range_labels_test_normally(tmp_path, synthetic_data_root):
    runner = runner_on_list(
        tmp_path, synthetic_data_root, [0, 5, 3, 1], num_classes=6)
    assert 'acc/top1' in runner.test()


def test_data_set_and_head_disagree(tmp_path, synthetic_data_root):
    runner = runner_on_list(
        tmp_path, synthetic_data_root, [0, 5, 3, 1], num_classes=7)
    with pytest.raises(
            ValueError,
            match=r'cls_head.num_classes=6, but the data set of '
            r'test_dataloader \(.*list.txt\) has 7 classes'):
        runner.test()


def test_label_beyond_the_data_set_fails_when_built(tmp_path):
    ann = tmp_path / 'list.txt'
    ann.write_text('a.mp4 0\nb.mp4 101\n')
    with pytest.raises(
            AnnotationError,
            match=r'list.txt, line 2: unknown label 101: must be '
            r'in \[0, 101\) \(a 1-based list\?'):
        RobustVideoDataset(ann_file=str(ann), pipeline=[], num_classes=101)


@pytest.mark.parametrize('base, num_classes',
                         [('k400_16x224_vifi-clip', 400),
                          ('ssv2_16x224_uniformerv2', 174),
                          ('ucf101_16x224_split1', 101),
                          ('hmdb51_16x224_split1', 51)])
def test_real_data_bases_state_their_classes(base, num_classes):
    cfg = Config.fromfile(f'{REPO_ROOT}/configs/_base_/datasets/{base}.py')
    for loader in ('train', 'val', 'test'):
        assert cfg[f'{loader}_dataloader'].dataset.num_classes == num_classes
