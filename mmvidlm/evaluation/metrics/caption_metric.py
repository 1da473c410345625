# Copyright (c) mmvidlm authors. All rights reserved.
import json
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger

from mmvidlm.registry import METRICS


def coco_caption_scores(predictions: Dict[str, str],
                        references: Dict[str, List[str]]) -> Dict[str, float]:
    """BLEU-1..4, METEOR, ROUGE-L and CIDEr with pycocoevalcap.

    Both sides are tokenised by the PTB tokenizer first (Java), exactly as
    the COCO caption evaluation does, and scored by pycocoevalcap's own
    scorers. SPICE is left out (it downloads models); that is why neither
    pycocoevalcap's ``COCOEvalCap`` (SPICE is hard-coded in its scorer
    list) nor MMPretrain's ``COCOCaption`` metric (built on it, and needing
    a COCO-format annotation file with integer ids) is used.

    Args:
        predictions (dict): Video id -> predicted caption.
        references (dict): Video id -> reference captions.

    Returns:
        dict: Scores in percent (pycocoevalcap's values x 100).
    """
    from pycocoevalcap.bleu.bleu import Bleu
    from pycocoevalcap.cider.cider import Cider
    from pycocoevalcap.meteor.meteor import Meteor
    from pycocoevalcap.rouge.rouge import Rouge
    from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer

    missing = set(predictions) ^ set(references)
    if missing:
        raise ValueError('Predictions and references must cover the same '
                         f'videos; these differ: {sorted(missing)[:5]}')
    tokenizer = PTBTokenizer()
    gts = tokenizer.tokenize({
        k: [dict(caption=c) for c in v]
        for k, v in references.items()
    })
    res = tokenizer.tokenize({
        k: [dict(caption=v)]
        for k, v in predictions.items()
    })
    scores = {}
    bleu, _ = Bleu(4).compute_score(gts, res, verbose=0)
    for n, value in enumerate(bleu, 1):
        scores[f'BLEU-{n}'] = value * 100
    scores['METEOR'] = Meteor().compute_score(gts, res)[0] * 100
    scores['ROUGE-L'] = Rouge().compute_score(gts, res)[0] * 100
    scores['CIDEr'] = Cider().compute_score(gts, res)[0] * 100
    return scores


@METRICS.register_module()
class CaptionMetric(BaseMetric):
    """Captioning metrics of the COCO caption evaluation (pycocoevalcap).

    Reads each sample's ``pred_caption``, ``gt_captions`` and ``video_id``
    (test data sets yield one sample per video with all its references).
    Reports ``BLEU-1`` to ``BLEU-4``, ``METEOR``, ``ROUGE-L`` and ``CIDEr``
    in percent, as papers do.

    Args:
        prediction_file (str, optional): Write the predictions to this JSON
            file, ``[{"video_id": ..., "caption": ...}, ...]``. Defaults to
            None.
        collect_device (str): Device to gather results on. Defaults to
            ``'cpu'``.
        prefix (str, optional): Prefix of the metric names.
    """
    default_prefix = 'caption'

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
                    video_id=str(sample['video_id']),
                    pred_caption=sample['pred_caption'],
                    gt_captions=list(sample['gt_captions'])))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        predictions, references = {}, {}
        for r in results:
            if r['video_id'] in predictions:
                raise ValueError(
                    f'Video {r["video_id"]!r} was predicted twice: caption '
                    'test sets hold one sample per video (test_mode=True).')
            predictions[r['video_id']] = r['pred_caption']
            references[r['video_id']] = r['gt_captions']
        if self.prediction_file:
            os.makedirs(
                osp.dirname(osp.abspath(self.prediction_file)), exist_ok=True)
            with open(self.prediction_file, 'w') as f:
                json.dump([
                    dict(video_id=k, caption=v)
                    for k, v in predictions.items()
                ],
                          f,
                          indent=1)
            MMLogger.get_current_instance().info(
                f'Captions of {len(predictions)} videos written to '
                f'{self.prediction_file}')
        return coco_caption_scores(predictions, references)
