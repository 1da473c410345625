# Copyright (c) mmvidlm authors. All rights reserved.
"""tools/train.py -> resume -> tools/test.py on the demo config."""
import pickle

import pytest

from mmvidlm.evaluation import accuracy_by_group

DEMO_CONFIG = 'configs/demo/naive_vit-tiny_8x32_synthetic-motion.py'


@pytest.fixture
def short_run(synthetic_options) -> list:
    """4 training videos per class, batch 4: 6 iterations per epoch."""
    return synthetic_options + [
        'train_dataloader.batch_size=4', 'default_hooks.logger.interval=3'
    ]


def test_train_resume_test(tmp_path, run_tool, short_run):
    work_dir = tmp_path / 'work_dir'
    first = run_tool(
        'train.py',
        DEMO_CONFIG,
        '--work-dir',
        work_dir,
        cfg_options=short_run + ['train_cfg.max_epochs=1'])
    assert 'Epoch(train) [1][6/6]' in first.stdout.replace('  ', ' ')
    assert (work_dir / 'epoch_1.pth').exists()

    resumed = run_tool(
        'train.py',
        DEMO_CONFIG,
        '--work-dir',
        work_dir,
        '--resume',
        cfg_options=short_run +
        ['train_cfg.max_epochs=2', 'train_cfg.val_interval=2'])
    log = resumed.stdout.replace('  ', ' ')
    assert 'resumed epoch: 1, iter: 6' in log
    assert 'Epoch(train) [1]' not in log  # epoch 1 is not trained again
    assert 'Epoch(train) [2][6/6]' in log
    assert 'Epoch(val) [2]' in log
    assert (work_dir / 'epoch_2.pth').exists()

    dump = tmp_path / 'predictions.pkl'
    tested = run_tool(
        'test.py',
        DEMO_CONFIG,
        work_dir / 'epoch_2.pth',
        '--work-dir',
        tmp_path / 'test_dir',
        '--dump',
        dump,
        cfg_options=short_run)
    assert 'Epoch(test)' in tested.stdout and 'acc/top1:' in tested.stdout
    with open(dump, 'rb') as f:
        predictions = pickle.load(f)
    assert len(predictions) == 12  # 2 validation videos per class
    accuracy = accuracy_by_group(predictions)
    assert set(accuracy) == {
        'top1', 'appearance', 'motion', 'direction', 'direction_circle',
        'direction_bar'
    }
    assert all(0 <= v <= 1 for v in accuracy.values())

