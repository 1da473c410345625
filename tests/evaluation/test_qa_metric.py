# Copyright (c) mmvidlm authors. All rights reserved.
import json

import pytest


def result(pred, gt, qtype, qid=0):
    return dict(
        pred_answer=pred, gt_answer=gt, question_type=qtype, question_id=qid)


def test_accuracy_overall_and_per_type():
    from mmvidlm.evaluation import qa_accuracy
    scores = qa_accuracy([
        result('left', ['left'], 'direction'),
        result('right', ['left'], 'direction'),
        result(' Red ', ['red'], 'color'),  # case and spaces only
        result('reds', ['red'], 'color'),
        result('quick', ['fast', 'quick'], 'how'),
    ])
    assert scores == dict(
        accuracy=60.0,
        accuracy_direction=50.0,
        accuracy_color=50.0,
        accuracy_how=100.0)
    with pytest.raises(ValueError, match='No predictions'):
        qa_accuracy([])


def test_metric_writes_predictions(tmp_path):
    from mmvidlm.evaluation import QAAccuracy
    out = tmp_path / 'answers.json'
    metric = QAAccuracy(prediction_file=str(out))
    metric.process(None, [
        dict(
            question_id=3,
            question_type='what',
            pred_answer='dog',
            gt_answer=['dog']),
        dict(
            question_id=4,
            question_type='who',
            pred_answer='man',
            gt_answer=['woman']),
    ])
    scores = metric.evaluate(2)
    assert scores == {
        'qa/accuracy': 50.0,
        'qa/accuracy_what': 100.0,
        'qa/accuracy_who': 0.0
    }
    assert json.loads(out.read_text()) == [
        dict(question_id=3, answer='dog'),
        dict(question_id=4, answer='man')
    ]
