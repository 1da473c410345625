# Copyright (c) mmvidlm authors. All rights reserved.
"""Accuracy on the synthetic motion videos, split by what a class needs:
one frame (appearance) or the order of the frames (motion direction)."""
from typing import Dict, List, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric

from mmvidlm.datasets.synthetic import MOTION_CLASSES, MOTION_PAIRS
from mmvidlm.registry import METRICS


def direction_accuracy(scores: np.ndarray,
                       labels: np.ndarray) -> Dict[str, float]:
    """How often a motion video's class outscores its reverse.

    The within-pair decision isolates what needs the order of the frames:
    an order-invariant model scores both classes of a pair alike, 0.5.

    Args:
        scores (ndarray): (num_videos, num_classes) class scores.
        labels (ndarray): (num_videos, ) true classes.

    Returns:
        dict: ``direction`` (all motion videos) and ``direction_<shape>``
        per pair (``circle``: translation, ``bar``: rotation); NaN where
        there is no video of the pair.
    """
    scores, labels = np.asarray(scores), np.asarray(labels)
    out, hits = {}, []
    for shape, (a, b) in MOTION_PAIRS.items():
        mask = np.isin(labels, (a, b))
        own = scores[mask, labels[mask]]
        reverse = scores[mask, np.where(labels[mask] == a, b, a)]
        hits.append(own > reverse)
        out[f'direction_{shape}'] = _mean(hits[-1])
    out['direction'] = _mean(np.concatenate(hits))
    return out


def _mean(hits: np.ndarray) -> float:
    return float(hits.mean()) if hits.size else float('nan')


def accuracy_by_group(results: Sequence[dict]) -> Dict[str, float]:
    """Top-1 accuracy overall and on the motion and appearance classes, and
    the within-pair direction accuracy of the motion videos.

    A frame-order-invariant model reaches about 1.0 on the appearance
    classes and 0.5 in direction (chance within each pair).

    Args:
        results (Sequence[dict]): Test predictions as ``tools/test.py
            --dump`` writes them, each with ``pred_score`` (scores of the
            classes) and ``gt_label``.

    Returns:
        dict: ``top1``, ``appearance`` and ``motion`` accuracies and the
        ``direction`` accuracies of :func:`direction_accuracy`.
    """
    scores = np.stack([np.asarray(r['pred_score']) for r in results])
    gt = np.array([np.asarray(r['gt_label']).item() for r in results])
    correct = scores.argmax(axis=1) == gt
    motion = np.isin(gt, MOTION_CLASSES)
    return dict(
        top1=float(correct.mean()),
        appearance=_mean(correct[~motion]),
        motion=_mean(correct[motion]),
        **direction_accuracy(scores, gt))


@METRICS.register_module()
class SyntheticMotionMetric(BaseMetric):
    """:func:`accuracy_by_group` as an evaluator metric, for the test
    loop of a classifier of the synthetic motion videos.

    Keys: ``synthetic/top1``, ``synthetic/appearance``,
    ``synthetic/motion``, ``synthetic/direction``,
    ``synthetic/direction_circle`` and ``synthetic/direction_bar``.

    Args:
        collect_device (str): Where results are gathered across ranks.
            Defaults to ``'cpu'``.
        prefix (str, optional): Key prefix. Defaults to ``'synthetic'``.
    """
    default_prefix = 'synthetic'

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            self.results.append(
                dict(
                    pred_score=sample['pred_score'].cpu().numpy(),
                    gt_label=sample['gt_label'].cpu().numpy()))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        return accuracy_by_group(results)
