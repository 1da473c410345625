# Copyright (c) mmvidlm authors. All rights reserved.
"""The tiny captioner and retriever through tools/train.py and
tools/test.py on the synthetic videos, evaluated with the real metrics."""
import glob
import json
import os.path as osp

from tests.conftest import REPO_ROOT

CAPTION = osp.join(REPO_ROOT, 'configs', 'demo',
                   'tokenmix_blip-tiny_synthetic-caption.py')
RETRIEVAL = osp.join(REPO_ROOT, 'configs', 'demo',
                     'tokenmix_blip-tiny_synthetic-retrieval.py')
SHORT = [
    'train_cfg.max_epochs=1', 'train_cfg.val_interval=2',
    'train_dataloader.batch_size=12',
    'test_dataloader.batch_size=12', 'param_scheduler=[]'
]


def train_and_test(run_tool, config, work_dir, options):
    run_tool('train.py', config, '--work-dir', work_dir, cfg_options=options)
    checkpoint = osp.join(work_dir, 'epoch_1.pth')
    assert osp.exists(checkpoint)
    proc = run_tool('test.py', config, checkpoint, '--work-dir', work_dir,
                    cfg_options=options)
    with open(sorted(glob.glob(f'{work_dir}/*/*.json'))[-1]) as f:
        return json.load(f), proc.stdout


def test_captioner_train_and_test(tmp_path, run_tool, synthetic_options):
    dump = tmp_path / 'captions.json'
    options = synthetic_options + SHORT + [
        'model.generation_cfg.num_beams=1',
        'model.generation_cfg.max_length=4',
        f'test_evaluator.prediction_file={dump}'
    ]
    metrics, log = train_and_test(run_tool, CAPTION, tmp_path, options)
    for name in ('BLEU-1', 'BLEU-4', 'METEOR', 'ROUGE-L', 'CIDEr'):
        assert f'caption/{name}' in metrics
    assert 'caption/CIDEr' in log
    captions = json.loads(dump.read_text())
    assert len(captions) == 12  # one per test video
    assert all(len(c['caption'].split()) <= 4 for c in captions)


def test_retriever_train_and_test(tmp_path, run_tool, synthetic_options):
    metrics, log = train_and_test(run_tool, RETRIEVAL, tmp_path,
                                  synthetic_options + SHORT)
    for name in ('t2v_R@1', 't2v_R@5', 't2v_R@10', 't2v_MdR', 't2v_MnR',
                 'v2t_R@1', 'rsum'):
        assert f'retrieval/{name}' in metrics
    assert 0 <= metrics['retrieval/t2v_R@1'] <= metrics[
        'retrieval/t2v_R@10'] <= 100
    assert 'retrieval/rsum' in log
