# Copyright (c) mmvidlm authors. All rights reserved.
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from mmengine.evaluator import BaseMetric

from mmvidlm.registry import METRICS


def _ranks(sim: np.ndarray, positive: np.ndarray) -> np.ndarray:
    """1-based rank of the best-ranked positive of every row."""
    order = np.argsort(-sim, axis=1, kind='stable')
    hit = np.take_along_axis(positive, order, axis=1)
    return hit.argmax(axis=1) + 1


def retrieval_scores(sim_t2v: np.ndarray,
                     text_to_video: Sequence[int],
                     topk: Sequence[int] = (1, 5, 10),
                     sim_v2t: Optional[np.ndarray] = None) -> Dict[str, float]:
    """Recall@K, median and mean rank of both retrieval directions.

    Args:
        sim_t2v (ndarray): (num_texts, num_videos) similarities.
        text_to_video (Sequence[int]): The video of every text.
        topk (Sequence[int]): The K of R@K. Defaults to (1, 5, 10).
        sim_v2t (ndarray, optional): (num_videos, num_texts) scores of
            video-to-text retrieval when they are not ``sim_t2v.T`` (ITM
            re-ranking scores each direction's queries on their own).

    Returns:
        dict: ``t2v_R@K`` and ``v2t_R@K`` (percent), ``t2v_MdR``,
        ``t2v_MnR``, ``v2t_MdR``, ``v2t_MnR``, ``t2v_rsum`` / ``v2t_rsum``
        (sum of the R@K) and ``rsum`` (the text-to-video sum, as the Token
        Mixing paper reports). A video's rank in video-to-text is that of
        its best-ranked caption.
    """
    sim_t2v = np.asarray(sim_t2v, dtype=np.float64)
    sim_v2t = sim_t2v.T if sim_v2t is None else np.asarray(
        sim_v2t, dtype=np.float64)
    text_to_video = np.asarray(text_to_video)
    num_texts, num_videos = sim_t2v.shape
    if sim_v2t.shape != (num_videos, num_texts):
        raise ValueError(f'sim_v2t of shape {sim_v2t.shape} for '
                         f'{num_texts} texts and {num_videos} videos.')
    if len(text_to_video) != num_texts:
        raise ValueError(f'{len(text_to_video)} text labels for '
                         f'{num_texts} texts.')
    positive = text_to_video[:, None] == np.arange(num_videos)[None]
    scores = {}
    for name, sim, pos in (('t2v', sim_t2v, positive), ('v2t', sim_v2t,
                                                        positive.T)):
        if not pos.any(axis=1).all():
            raise ValueError(f'{name}: some queries have no positive.')
        ranks = _ranks(sim, pos)
        recalls = [float((ranks <= k).mean() * 100) for k in topk]
        for k, r in zip(topk, recalls):
            scores[f'{name}_R@{k}'] = r
        scores[f'{name}_MdR'] = float(np.median(ranks))
        scores[f'{name}_MnR'] = float(ranks.mean())
        scores[f'{name}_rsum'] = sum(recalls)
    scores['rsum'] = scores['t2v_rsum']
    return scores


@METRICS.register_module()
class RetrievalMetric(BaseMetric):
    """Text-to-video and video-to-text retrieval: R@K, MdR, MnR, rsum.

    Each test sample is a video with its embedding ``video_feat`` (D,) and
    the embeddings of its captions ``text_feat`` (n, D). MMEngine gathers
    the samples of all processes in data-set order and drops the sampler's
    padding before :meth:`compute_metrics`, which ranks every caption
    against every video by the dot product of the (normalised) embeddings.
    After ITM re-ranking (``RetrievalTestLoop``) a sample carries instead
    its captions' rows of the text-to-video scores, ``t2v_scores`` (n, V),
    and its row of the video-to-text scores, ``v2t_scores`` (N,).

    Args:
        topk (Sequence[int]): The K of R@K. Defaults to (1, 5, 10).
        collect_device (str): Device to gather results on. Defaults to
            ``'cpu'``.
        prefix (str, optional): Prefix of the metric names.
    """
    default_prefix = 'retrieval'

    def __init__(self,
                 topk: Sequence[int] = (1, 5, 10),
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.topk = tuple(topk)

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            if 'video_tokens' in sample:
                raise RuntimeError(
                    'The retriever kept video tokens for ITM re-ranking '
                    '(itm_topk > 0) but the loop did not re-rank: use '
                    "val_cfg = dict(type='RetrievalValLoop') and test_cfg "
                    "= dict(type='RetrievalTestLoop').")
            keys = (('t2v_scores', 'v2t_scores') if 't2v_scores' in sample else
                    ('video_feat', 'text_feat'))
            self.results.append(
                {k: sample[k].detach().float().cpu()
                 for k in keys})

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        rows = 't2v_scores' if 't2v_scores' in results[0] else 'text_feat'
        # the video of every caption, in the order of the rows
        text_to_video = [i for i, r in enumerate(results) for _ in r[rows]]
        if rows == 't2v_scores':
            return retrieval_scores(
                torch.cat([r['t2v_scores'] for r in results]).numpy(),
                text_to_video, self.topk,
                torch.stack([r['v2t_scores'] for r in results]).numpy())
        video_feat = torch.stack([r['video_feat'] for r in results])
        text_feat = torch.cat([r['text_feat'] for r in results])
        sim = (text_feat @ video_feat.t()).numpy()
        return retrieval_scores(sim, text_to_video, self.topk)
