# Copyright (c) mmvidlm authors. All rights reserved.
from .caption_metric import CaptionMetric, coco_caption_scores
from .qa_metric import QAAccuracy, qa_accuracy
from .retrieval_metric import RetrievalMetric, retrieval_scores

__all__ = [
    'CaptionMetric', 'QAAccuracy', 'RetrievalMetric', 'coco_caption_scores',
    'qa_accuracy', 'retrieval_scores'
]
