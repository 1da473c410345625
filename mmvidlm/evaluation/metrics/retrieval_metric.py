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
                     topk: Sequence[int] = (1, 5, 10)) -> Dict[str, float]:
    """Recall@K, median and mean rank of both retrieval directions.

    Args:
        sim_t2v (ndarray): (num_texts, num_videos) similarities.
        text_to_video (Sequence[int]): The video of every text.
        topk (Sequence[int]): The K of R@K. Defaults to (1, 5, 10).

    Returns:
        dict: ``t2v_R@K`` and ``v2t_R@K`` (percent), ``t2v_MdR``,
        ``t2v_MnR``, ``v2t_MdR``, ``v2t_MnR``, ``t2v_rsum`` / ``v2t_rsum``
        (sum of the R@K) and ``rsum`` (the text-to-video sum, as the Token
        Mixing paper reports). A video's rank in video-to-text is that of
        its best-ranked caption.
    """
    sim_t2v = np.asarray(sim_t2v, dtype=np.float64)
    text_to_video = np.asarray(text_to_video)
    num_texts, num_videos = sim_t2v.shape
    if len(text_to_video) != num_texts:
        raise ValueError(f'{len(text_to_video)} text labels for '
                         f'{num_texts} texts.')
    positive = text_to_video[:, None] == np.arange(num_videos)[None]
    scores = {}
    for name, sim, pos in (('t2v', sim_t2v, positive),
                           ('v2t', sim_t2v.T, positive.T)):
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
            self.results.append(
                dict(
                    video_feat=sample['video_feat'].detach().float().cpu(),
                    text_feat=sample['text_feat'].detach().float().cpu()))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        video_feat = torch.stack([r['video_feat'] for r in results])
        text_feat = torch.cat([r['text_feat'] for r in results])
        # the video of every caption, in the order of text_feat
        text_to_video = [
            i for i, r in enumerate(results) for _ in r['text_feat']
        ]
        sim = (text_feat @ video_feat.t()).numpy()
        return retrieval_scores(sim, text_to_video, self.topk)
