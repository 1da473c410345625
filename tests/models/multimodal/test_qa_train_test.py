# Copyright (c) mmvidlm authors. All rights reserved.
"""The synthetic QA demo through tools/train.py (one step) and
tools/test.py, evaluated with the accuracy metric."""
import glob
import json
import os.path as osp

from tests.conftest import REPO_ROOT

CONFIG = osp.join(REPO_ROOT, 'configs', 'demo',
                  'tokenmix_blip-tiny_synthetic-qa.py')


def test_qa_demo_trains_and_tests(tmp_path, run_tool, synthetic_options):
    # 24 training videos -> 64 questions: one step of 64
    options = synthetic_options + [
        'train_cfg.max_epochs=1', 'train_cfg.val_interval=2',
        'train_dataloader.batch_size=64', 'test_dataloader.batch_size=32',
        'param_scheduler=[]', 'default_hooks.logger.interval=1'
    ]
    log = run_tool(
        'train.py', CONFIG, '--work-dir', tmp_path,
        cfg_options=options).stdout.replace('  ', ' ')
    assert 'Epoch(train) [1][1/1]' in log and 'vqa_loss:' in log
    checkpoint = tmp_path / 'epoch_1.pth'
    answers = tmp_path / 'answers.json'
    log = run_tool(
        'test.py',
        CONFIG,
        checkpoint,
        '--work-dir',
        tmp_path,
        cfg_options=options +
        [f'test_evaluator.prediction_file={answers}']).stdout
    with open(sorted(glob.glob(f'{tmp_path}/*/*.json'))[-1]) as f:
        metrics = json.load(f)
    for name in ('accuracy', 'accuracy_color', 'accuracy_shape',
                 'accuracy_direction'):
        assert 0 <= metrics[f'qa/{name}'] <= 100
    assert 'qa/accuracy_direction' in log
    predictions = json.loads(answers.read_text())
    assert len(predictions) == 32  # 12 val videos: 24 + 8 direction
    from mmvidlm.datasets import SYNTHETIC_QA_ANSWERS
    assert {p['answer'] for p in predictions} <= set(SYNTHETIC_QA_ANSWERS)
