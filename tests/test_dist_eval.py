# Copyright (c) mmvidlm authors. All rights reserved.
"""Two gloo processes evaluate exactly like one, also on an odd-sized set.

``DefaultSampler`` pads the data set to a multiple of the world size (7
videos -> 8, the first one twice); MMEngine's ``collect_results`` restores
data-set order and drops the padding. Without that, 2 processes would score
8 predictions, not 7.
"""
import glob
import json
import os.path as osp
import pickle

import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from mmengine.config import Config

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEMO_CONFIG = osp.join(REPO_ROOT, 'configs', 'demo',
                       'naive_vit-tiny_synthetic-motion.py')
NUM_VIDEOS = 7


def test_two_processes_match_one_on_odd_sized_set(tmp_path, run_tool,
                                                  synthetic_data_root,
                                                  free_port):
    from mmvidlm.registry import MODELS
    from mmvidlm.utils import register_all_modules
    register_all_modules()
    cfg = Config.fromfile(DEMO_CONFIG)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    checkpoint = tmp_path / 'random.pth'
    torch.save(dict(state_dict=model.state_dict(), meta={}), checkpoint)

    lines = open(osp.join(synthetic_data_root, 'val_list.txt')).readlines()
    ann_file = tmp_path / 'odd_list.txt'
    ann_file.write_text(''.join(lines[:NUM_VIDEOS]))
    prefix = 'test_dataloader.dataset'
    options = [
        'test_dataloader.batch_size=2', f'{prefix}.type=RobustVideoDataset',
        f'{prefix}.ann_file={ann_file}',
        f'{prefix}.data_prefix.video={synthetic_data_root}/videos',
        f'{prefix}.num_classes=6'
    ]
    # The synthetic data set's own arguments do not apply to this list.
    config = tmp_path / 'odd_test.py'
    config.write_text(f'_base_ = [{DEMO_CONFIG!r}]\n'
                      'test_dataloader = dict(dataset=dict(_delete_=True, '
                      'pipeline={{_base_.test_pipeline}}, test_mode=True))\n')

    results = {}
    for procs in (1, 2):
        work_dir = tmp_path / f'procs{procs}'
        dump = tmp_path / f'procs{procs}.pkl'
        if procs == 1:
            run_tool(
                'test.py',
                config,
                checkpoint,
                '--work-dir',
                work_dir,
                '--dump',
                dump,
                cfg_options=options)
        else:
            run_tool(
                'dist_test.sh',
                config,
                checkpoint,
                2,
                '--work-dir',
                work_dir,
                '--dump',
                dump,
                cfg_options=options,
                env=dict(PORT=str(free_port)))
        metric_files = glob.glob(f'{work_dir}/*/*.json')
        assert len(metric_files) == 1, metric_files
        with open(metric_files[0]) as f:
            metrics = json.load(f)
        with open(dump, 'rb') as f:
            predictions = pickle.load(f)
        results[procs] = metrics, predictions

    (metrics1, preds1), (metrics2, preds2) = results[1], results[2]
    assert len(preds1) == len(preds2) == NUM_VIDEOS
    for p1, p2 in zip(preds1, preds2):
        assert p1['gt_label'] == p2['gt_label']
        np.testing.assert_allclose(
            p1['pred_score'], p2['pred_score'], rtol=1e-5, atol=1e-6)
    accuracy = {k: v for k, v in metrics1.items() if k.startswith('acc/')}
    assert accuracy == {k: metrics2[k] for k in accuracy}
    top1 = np.mean([p['pred_score'].argmax() == p['gt_label'] for p in preds1])
    assert accuracy['acc/top1'] == round(float(top1), 4)


def _retrieval_worker(rank, world_size, port, samples, out):
    """One process of a 2-process retrieval evaluation: the samples its
    ``DefaultSampler`` gives it (padded), then MMEngine's gathering."""
    dist.init_process_group(
        'gloo',
        init_method=f'tcp://127.0.0.1:{port}',
        rank=rank,
        world_size=world_size)
    from mmvidlm.evaluation import RetrievalMetric
    metric = RetrievalMetric()
    padded = -(-len(samples) // world_size) * world_size
    indices = (list(range(len(samples))) * 2)[:padded][rank::world_size]
    metric.process(None, [samples[i] for i in indices])
    metrics = metric.evaluate(len(samples))
    if rank == 0:
        torch.save(metrics, out)
    dist.destroy_process_group()


def test_retrieval_similarity_gathered_across_processes(tmp_path, free_port):
    from mmvidlm.evaluation import RetrievalMetric
    generator = torch.Generator().manual_seed(0)
    samples = [
        dict(
            video_feat=torch.randn(8, generator=generator),
            text_feat=torch.randn(1 + i % 3, 8, generator=generator))
        for i in range(NUM_VIDEOS)
    ]
    single = RetrievalMetric()
    single.process(None, samples)
    expected = single.evaluate(NUM_VIDEOS)

    out = tmp_path / 'metrics.pth'
    mp.start_processes(
        _retrieval_worker,
        args=(2, free_port, samples, str(out)),
        nprocs=2,
        start_method='fork')
    assert torch.load(out) == expected


def _itm_predictions():
    """A tiny retriever with ITM re-ranking and its predictions on
    NUM_VIDEOS videos with 1-3 captions each (same on every process)."""
    from mmvidlm.registry import MODELS
    from mmvidlm.utils import register_all_modules
    from tests.models.multimodal.conftest import batch, tiny_retriever_cfg
    register_all_modules()
    torch.manual_seed(0)
    model = MODELS.build(tiny_retriever_cfg(itm_topk=3)).eval()
    torch.nn.init.normal_(model.multimodal_head.fc.weight, std=10.)
    words = 'red green blue circle bar square moves turns stays left right'
    words = words.split()
    captions = [[
        f'a {words[(i + j) % 11]} {words[(3 * i + j) % 11]}'
        for j in range(1 + i % 3)
    ] for i in range(NUM_VIDEOS)]
    with torch.no_grad():
        samples = model(
            **model.data_preprocessor(batch(captions)), mode='predict')
    return model, samples


def _rerank_and_evaluate(model, samples, indices, size):
    from mmvidlm.engine.retrieval_loops import rerank_by_itm
    from mmvidlm.evaluation import RetrievalMetric
    mine = [samples[i].clone() for i in indices]
    rerank_by_itm(model, mine, indices, size)
    metric = RetrievalMetric()
    metric.process(None, [s.to_dict() for s in mine])
    return metric.evaluate(size)


def _itm_worker(rank, world_size, port, out):
    # OpenMP's thread pool does not survive fork: one thread, no pool
    torch.set_num_threads(1)
    dist.init_process_group(
        'gloo',
        init_method=f'tcp://127.0.0.1:{port}',
        rank=rank,
        world_size=world_size)
    model, samples = _itm_predictions()
    padded = -(-NUM_VIDEOS // world_size) * world_size
    indices = (list(range(NUM_VIDEOS)) * 2)[:padded][rank::world_size]
    metrics = _rerank_and_evaluate(model, samples, indices, NUM_VIDEOS)
    if rank == 0:
        torch.save(metrics, out)
    dist.destroy_process_group()


def test_itm_reranking_split_across_processes(tmp_path, free_port):
    """Two processes share the re-ranking (7 videos, one padded) and get
    the metrics of one process doing it all."""
    model, samples = _itm_predictions()
    expected = _rerank_and_evaluate(model, samples, list(range(NUM_VIDEOS)),
                                    NUM_VIDEOS)
    from mmvidlm.evaluation import RetrievalMetric
    metric = RetrievalMetric()
    metric.process(None, [
        dict(video_feat=s.video_feat, text_feat=s.text_feat) for s in samples
    ])
    itc = metric.evaluate(NUM_VIDEOS)
    assert itc != expected  # re-ranking changed some ranks

    out = tmp_path / 'metrics.pth'
    mp.start_processes(
        _itm_worker,
        args=(2, free_port, str(out)),
        nprocs=2,
        start_method='fork')
    assert torch.load(out) == expected


def _itc_worker(rank, world_size, port, out):
    torch.set_num_threads(1)  # OpenMP's thread pool does not survive fork
    dist.init_process_group(
        'gloo',
        init_method=f'tcp://127.0.0.1:{port}',
        rank=rank,
        world_size=world_size)
    model, data = _itc_batch()
    half = slice(2 * rank, 2 * rank + 2)
    loss = model.loss(data['video'][half], {
        k: v[half]
        for k, v in data['text'].items()
    }, data['data_samples'][half])['itc_loss']
    loss.backward()
    grad = model.vision_neck.weight.grad
    dist.all_reduce(grad)  # what DDP sums (before its 1 / world size)
    if rank == 0:
        torch.save(dict(loss=loss.detach(), grad=grad), out)
    dist.destroy_process_group()


def _itc_batch():
    from mmvidlm.registry import MODELS
    from mmvidlm.utils import register_all_modules
    from tests.models.multimodal.conftest import batch, tiny_retriever_cfg
    register_all_modules()
    torch.manual_seed(0)
    model = MODELS.build(tiny_retriever_cfg()).train()
    data = model.data_preprocessor(
        batch(['a red circle', 'a red ball', 'a bar', 'a square'],
              video_idx=[0, 0, 1, 2]),
        training=True)
    return model, data


def test_itc_negatives_gathered_across_processes(tmp_path, free_port):
    """Two gloo processes with two pairs each: both get the loss of the
    whole batch, and their summed gradients are the whole batch's."""
    model, data = _itc_batch()
    loss = model.loss(**data)['itc_loss']
    loss.backward()
    out = tmp_path / 'itc.pth'
    mp.start_processes(
        _itc_worker,
        args=(2, free_port, str(out)),
        nprocs=2,
        start_method='fork')
    result = torch.load(out)
    torch.testing.assert_close(result['loss'], loss.detach())
    torch.testing.assert_close(result['grad'], model.vision_neck.weight.grad)
