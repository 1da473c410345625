# Copyright (c) mmvidlm authors. All rights reserved.
import json

import pytest

PREDICTIONS = {
    'v1': 'a man is playing a guitar',
    'v2': 'a woman is cutting an onion.',
    'v3': 'a dog runs',
}
REFERENCES = {
    'v1': ['A man plays the guitar.', 'a person is playing a guitar'],
    'v2': ['a woman slices an onion', 'someone is cutting onions'],
    'v3': ['a dog is running on the grass', 'the dog runs'],
}


def direct_scores():
    """pycocoevalcap used directly, as the COCO caption evaluation does."""
    from pycocoevalcap.bleu.bleu import Bleu
    from pycocoevalcap.cider.cider import Cider
    from pycocoevalcap.meteor.meteor import Meteor
    from pycocoevalcap.rouge.rouge import Rouge
    from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer
    tok = PTBTokenizer()
    gts = tok.tokenize({
        k: [{
            'caption': c
        } for c in v]
        for k, v in REFERENCES.items()
    })
    res = tok.tokenize({k: [{'caption': v}] for k, v in PREDICTIONS.items()})
    bleu = Bleu(4).compute_score(gts, res)[0]
    return {
        'BLEU-1': bleu[0],
        'BLEU-2': bleu[1],
        'BLEU-3': bleu[2],
        'BLEU-4': bleu[3],
        'METEOR': Meteor().compute_score(gts, res)[0],
        'ROUGE-L': Rouge().compute_score(gts, res)[0],
        'CIDEr': Cider().compute_score(gts, res)[0],
    }


def test_caption_metric_equals_pycocoevalcap(tmp_path):
    from mmvidlm.evaluation import CaptionMetric
    dump = tmp_path / 'out' / 'captions.json'
    metric = CaptionMetric(prediction_file=str(dump))
    metric.dataset_meta = {}
    # Two batches, as the test loop feeds them.
    keys = list(PREDICTIONS)
    for part in (keys[:2], keys[2:]):
        metric.process({}, [
            dict(
                video_id=k,
                pred_caption=PREDICTIONS[k],
                gt_captions=REFERENCES[k]) for k in part
        ])
    scores = metric.evaluate(size=3)
    expected = direct_scores()
    assert set(scores) == {f'caption/{k}' for k in expected}
    for name, value in expected.items():
        assert scores[f'caption/{name}'] == pytest.approx(value * 100)
    assert 0 < expected['CIDEr'] and 0 < expected['METEOR']
    assert json.loads(dump.read_text()) == [
        dict(video_id=k, caption=v) for k, v in PREDICTIONS.items()
    ]


def test_duplicate_video_is_an_error():
    from mmvidlm.evaluation import CaptionMetric
    metric = CaptionMetric()
    results = [dict(video_id='v', pred_caption='a', gt_captions=['a'])] * 2
    with pytest.raises(ValueError, match='predicted twice'):
        metric.compute_metrics(results)
