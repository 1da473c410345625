# Copyright (c) mmvidlm authors. All rights reserved.
from .caption_metric import CaptionMetric, coco_caption_scores
from .retrieval_metric import RetrievalMetric, retrieval_scores

__all__ = [
    'CaptionMetric', 'RetrievalMetric', 'coco_caption_scores',
    'retrieval_scores'
]
