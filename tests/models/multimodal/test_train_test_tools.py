# Copyright (c) mmvidlm authors. All rights reserved.
"""The tiny captioner and retriever through tools/train.py and
tools/test.py on the synthetic videos, evaluated with the real metrics."""
import glob
import json
import os.path as osp

import pytest
import torch
from mmengine.fileio import load

from mmvidlm.evaluation import retrieval_scores
from tests.conftest import REPO_ROOT

CAPTION = osp.join(REPO_ROOT, 'configs', 'demo',
                   'tokenmix_blip-tiny_synthetic-caption.py')
RETRIEVAL = osp.join(REPO_ROOT, 'configs', 'demo',
                     'tokenmix_blip-tiny_synthetic-retrieval.py')
SHORT = [
    'train_cfg.max_epochs=1', 'train_cfg.val_interval=2',
    'train_dataloader.batch_size=12', 'test_dataloader.batch_size=12',
    'param_scheduler=[]'
]


def train_and_test(run_tool, config, work_dir, options):
    run_tool('train.py', config, '--work-dir', work_dir, cfg_options=options)
    checkpoint = osp.join(work_dir, 'epoch_1.pth')
    assert osp.exists(checkpoint)
    proc = run_tool(
        'test.py',
        config,
        checkpoint,
        '--work-dir',
        work_dir,
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

    # ITM re-ranking of the top 3 through RetrievalTestLoop
    dump = tmp_path / 'reranked.pkl'
    work_dir = tmp_path / 'itm'
    run_tool(
        'test.py',
        RETRIEVAL,
        tmp_path / 'epoch_1.pth',
        '--work-dir',
        work_dir,
        '--dump',
        dump,
        cfg_options=synthetic_options + SHORT + ['model.itm_topk=3'])
    with open(glob.glob(f'{work_dir}/*/*.json')[-1]) as f:
        itm_metrics = json.load(f)
    samples = load(dump)
    assert len(samples) == 12 and 'video_tokens' not in samples[0]
    t2v = torch.cat([s['t2v_scores'] for s in samples])  # (24, 12)
    v2t = torch.stack([s['v2t_scores'] for s in samples])  # (12, 24)
    sim = torch.cat([s['text_feat'] for s in samples]) @ torch.stack(
        [s['video_feat'] for s in samples]).t()
    for scores, itc in ((t2v, sim), (v2t, sim.t())):
        for row, itc_row in zip(scores, itc):
            assert set(row.topk(3).indices.tolist()) == set(
                itc_row.topk(3).indices.tolist())
    expected = retrieval_scores(
        t2v.numpy(),
        [i for i, s in enumerate(samples) for _ in s['t2v_scores']],
        sim_v2t=v2t.numpy())
    for name, value in expected.items():
        assert itm_metrics[f'retrieval/{name}'] == pytest.approx(
            value, abs=1e-3)
