# Copyright (c) mmvidlm authors. All rights reserved.
import json
import os
import os.path as osp
from collections import defaultdict
from typing import Dict, List, Optional, Sequence

from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger

from mmvidlm.registry import METRICS


def normalize_answer(answer: str) -> str:
    """Lower case, single spaces. The Token Mixing reference compares
    answers as they are (MSRVTT-QA's answers are single lower-case words,
    and ranking returns entries of its answer list); this only keeps
    generated answers from failing on case or spacing."""
    return ' '.join(answer.lower().split())


def qa_accuracy(results: Sequence[dict]) -> Dict[str, float]:
    """Exact-match accuracy, overall and per question type, in percent.

    Args:
        results (Sequence[dict]): ``pred_answer``, ``gt_answer`` (a list:
            a prediction is right if it matches one of them) and
            ``question_type`` of each question.

    Returns:
        dict: ``accuracy`` and ``accuracy_<type>`` for every type.
    """
    if not results:
        raise ValueError('No predictions to evaluate.')
    hits = defaultdict(list)
    for r in results:
        gts = {normalize_answer(a) for a in r['gt_answer']}
        hit = normalize_answer(r['pred_answer']) in gts
        hits['accuracy'].append(hit)
        hits[f'accuracy_{r["question_type"]}'].append(hit)
    return {k: 100.0 * sum(v) / len(v) for k, v in hits.items()}


@METRICS.register_module()
class QAAccuracy(BaseMetric):
    """Video question answering accuracy (exact match).

    Reads each sample's ``pred_answer``, ``gt_answer``, ``question_type``
    and ``question_id``; reports ``accuracy`` and ``accuracy_<type>`` per
    question type (MSRVTT-QA: what, who, how, where, when, color;
    synthetic: color, shape, direction) in percent.

    Args:
        prediction_file (str, optional): Write the predictions to this JSON
            file, ``[{"question_id": ..., "answer": ...}, ...]`` (the
            reference's result format). Defaults to None.
        collect_device (str): Device to gather results on. Defaults to
            ``'cpu'``.
        prefix (str, optional): Prefix of the metric names.
            Defaults to ``'qa'``.
    """
    default_prefix = 'qa'

    def __init__(self,
                 prediction_file: Optional[str] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.prediction_file = prediction_file

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            self.results.append(
                dict(
                    question_id=sample.get('question_id'),
                    question_type=sample.get('question_type', 'all'),
                    pred_answer=sample['pred_answer'],
                    gt_answer=list(sample['gt_answer'])))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        if self.prediction_file:
            os.makedirs(
                osp.dirname(osp.abspath(self.prediction_file)), exist_ok=True)
            with open(self.prediction_file, 'w') as f:
                json.dump([
                    dict(
                        question_id=r['question_id'], answer=r['pred_answer'])
                    for r in results
                ], f)
            MMLogger.get_current_instance().info(
                f'Answers to {len(results)} questions written to '
                f'{self.prediction_file}')
        return qa_accuracy(results)
