# Copyright (c) mmvidlm authors. All rights reserved.
"""Validation and test loops of the retriever: ITM re-ranking needs every
video and caption of the test set, from every process, before ranking."""
from typing import Dict, List, Sequence

import mmengine.dist as dist
import torch
from mmengine.model import is_model_wrapper
from mmengine.runner import TestLoop, ValLoop
from mmengine.runner.amp import autocast

from mmvidlm.registry import LOOPS
from mmvidlm.utils.progress import progress_bar

#: Queries re-ranked per call of ``itm_rerank``: the progress bar's step.
ITM_CHUNK = 16


def gather_by_index(indices: Sequence[int], items: Sequence,
                    size: int) -> list:
    """Every process's ``items`` (item ``k`` is data-set sample
    ``indices[k]``) on every process, in data-set order, sampler padding
    dropped."""
    if len(indices) != len(items):
        raise RuntimeError(f'The sampler gave {len(indices)} indices for '
                           f'{len(items)} predictions.')
    by_index: Dict[int, object] = {}
    for part in dist.all_gather_object(list(zip(indices, items))):
        by_index.update(part)
    missing = sorted(set(range(size)) - set(by_index))
    if missing:
        raise RuntimeError(f'No prediction for samples {missing[:10]}.')
    return [by_index[i] for i in range(size)]


def rerank_by_itm(model, samples: list, indices: Sequence[int],
                  size: int) -> None:
    """Replace ITC ranking by ITM re-ranking in this process's predictions.

    Gathers every process's video tokens and caption ids, re-ranks this
    process's share of the queries (every ``world_size``-th text and video)
    with ``model.itm_rerank``, sums the shares and sets, per video sample,
    ``t2v_scores`` (n_i, V) (its captions' rows) and ``v2t_scores`` (N,);
    the tokens and ids are then dropped.

    Args:
        model (nn.Module): The retriever, possibly wrapped.
        samples (list): This process's predictions, in sampler order.
        indices (Sequence[int]): The data-set index of each prediction.
        size (int): Size of the data set.
    """
    module = model.module if is_model_wrapper(model) else model
    payload = [(s.video_feat.float().cpu(), s.text_feat.float().cpu(),
                s.video_tokens, s.text_ids) for s in samples]
    video_feat, text_feat, video_tokens, text_ids = zip(
        *gather_by_index(indices, payload, size))
    # first row of every video's captions in the (N, V) matrix
    starts = torch.tensor([0] + [len(t) for t in text_feat]).cumsum(0)
    sim_t2v = torch.cat(text_feat) @ torch.stack(video_feat).t()  # (N, V)
    rank, world_size = dist.get_rank(), dist.get_world_size()
    num_texts, num_videos = sim_t2v.shape
    text_rows = range(rank, num_texts, world_size)
    video_rows = range(rank, num_videos, world_size)
    text_ids = [ids for t in text_ids for ids in t]
    t2v = torch.zeros(num_texts, num_videos)
    v2t = torch.zeros(num_videos, num_texts)
    title = (f'ITM re-ranking of the top {module.itm_topk}: this process '
             f'has {len(text_rows)} of {num_texts} texts and '
             f'{len(video_rows)} of {num_videos} videos')
    with progress_bar(len(text_rows) + len(video_rows), title) as update:
        # rows not asked for are zero: the chunks add up
        for start in range(0, len(text_rows), ITM_CHUNK):
            rows = text_rows[start:start + ITM_CHUNK]
            t2v += module.itm_rerank(sim_t2v, video_tokens, text_ids, rows,
                                     [])[0]
            update(len(rows))
        for start in range(0, len(video_rows), ITM_CHUNK):
            rows = video_rows[start:start + ITM_CHUNK]
            v2t += module.itm_rerank(sim_t2v, video_tokens, text_ids, [],
                                     rows)[1]
            update(len(rows))
    dist.all_reduce(t2v)  # each row was computed by one process
    dist.all_reduce(v2t)
    for sample, idx in zip(samples, indices):
        # copies: a view would carry the whole matrix when pickled
        sample.t2v_scores = t2v[starts[idx]:starts[idx + 1]].clone()
        sample.v2t_scores = v2t[idx].clone()
        del sample.video_tokens, sample.text_ids


class RetrievalLoopMixin:
    """Runs the model over the whole set, then, if the predictions carry
    video tokens (``itm_topk > 0``), re-ranks by ITM before the metrics
    see them. Metrics get ``data_batch=None``: the loop does not keep the
    input videos."""

    def _run(self, stage: str) -> dict:
        self.runner.call_hook(f'before_{stage}')
        self.runner.call_hook(f'before_{stage}_epoch')
        self.runner.model.eval()
        outputs: List[list] = []
        for idx, data_batch in enumerate(self.dataloader):
            self.runner.call_hook(
                f'before_{stage}_iter', batch_idx=idx, data_batch=data_batch)
            with torch.no_grad(), autocast(enabled=self.fp16):
                batch_outputs = getattr(self.runner.model, f'{stage}_step')(
                    data_batch)
            outputs.append(batch_outputs)
            self.runner.call_hook(
                f'after_{stage}_iter',
                batch_idx=idx,
                data_batch=data_batch,
                outputs=batch_outputs)
        samples = [s for batch in outputs for s in batch]
        if any('video_tokens' in s for s in samples):
            rerank_by_itm(self.runner.model, samples,
                          list(self.dataloader.sampler),
                          len(self.dataloader.dataset))
        for batch_outputs in outputs:
            self.evaluator.process(data_samples=batch_outputs)
        metrics = self.evaluator.evaluate(len(self.dataloader.dataset))
        self.runner.call_hook(f'after_{stage}_epoch', metrics=metrics)
        self.runner.call_hook(f'after_{stage}')
        return metrics


@LOOPS.register_module()
class RetrievalValLoop(RetrievalLoopMixin, ValLoop):
    """MMEngine's ``ValLoop`` with ITM re-ranking of the retriever's
    predictions (see :class:`RetrievalLoopMixin`)."""

    def run(self) -> dict:
        return self._run('val')


@LOOPS.register_module()
class RetrievalTestLoop(RetrievalLoopMixin, TestLoop):
    """MMEngine's ``TestLoop`` with ITM re-ranking of the retriever's
    predictions (see :class:`RetrievalLoopMixin`)."""

    def run(self) -> dict:
        return self._run('test')
