# Copyright (c) mmvidlm authors. All rights reserved.
import numpy as np
import pytest
import torch
from mmaction.structures import ActionDataSample

from mmvidlm.datasets import MOTION_PAIRS
from mmvidlm.evaluation import (SyntheticMotionMetric, accuracy_by_group,
                                direction_accuracy)
from mmvidlm.registry import METRICS


def test_accuracy_by_group():
    # Right on the appearance classes, each motion pair swapped.
    predicted = {0: 1, 1: 0, 2: 3, 3: 2, 4: 4, 5: 5}
    results = [
        dict(
            pred_score=np.eye(6)[predicted[label]], gt_label=np.array([label]))
        for label in range(6)
    ]
    assert accuracy_by_group(results) == dict(
        top1=pytest.approx(1 / 3),
        appearance=1.0,
        motion=0.0,
        direction=0.0,
        direction_circle=0.0,
        direction_bar=0.0)


def test_direction_accuracy_within_pairs():
    assert MOTION_PAIRS == dict(circle=(0, 1), bar=(2, 3))
    labels = np.array([0, 1, 2, 3, 2, 4])
    scores = np.zeros((6, 6))
    scores[0, [0, 1]] = 0.6, 0.4  # circle left over right: right
    scores[1, [0, 1, 5]] = 0.5, 0.2, 0.9  # wrong class, wrong direction
    scores[2, [2, 3]] = 0.1, 0.2  # wrong
    scores[3, [2, 3, 4]] = 0.1, 0.2, 0.7  # wrong class, right direction
    scores[4, [2, 3]] = 0.3, 0.2  # right
    # the appearance video (label 4) does not count
    assert direction_accuracy(scores, labels) == dict(
        direction_circle=0.5,
        direction_bar=pytest.approx(2 / 3),
        direction=0.6)


def test_synthetic_motion_metric_in_the_evaluator():
    """The registered metric sees what the test loop gives it (data samples
    turned into dicts) and reports accuracy_by_group under its prefix."""
    metric = METRICS.build(dict(type='SyntheticMotionMetric'))
    assert isinstance(metric, SyntheticMotionMetric)
    predicted = {0: 0, 1: 0, 2: 2, 3: 3, 4: 5, 5: 5}
    samples = []
    for label in range(6):
        sample = ActionDataSample().set_gt_label(label)
        sample.set_pred_score(torch.eye(6)[predicted[label]])
        samples.append(sample.to_dict())
    metric.process({}, samples)
    assert metric.evaluate(6) == {
        'synthetic/top1': pytest.approx(4 / 6),
        'synthetic/appearance': 0.5,
        'synthetic/motion': 0.75,
        'synthetic/direction': 0.75,
        'synthetic/direction_circle': 0.5,
        'synthetic/direction_bar': 1.0,
    }
