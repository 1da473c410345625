# Copyright (c) mmvidlm authors. All rights reserved.
from .caption_metric import CaptionMetric, coco_caption_scores
from .motion_metric import (SyntheticMotionMetric, accuracy_by_group,
                            direction_accuracy)
from .qa_metric import QAAccuracy, qa_accuracy
from .retrieval_metric import RetrievalMetric, retrieval_scores

__all__ = [
    'CaptionMetric', 'QAAccuracy', 'RetrievalMetric', 'SyntheticMotionMetric',
    'accuracy_by_group', 'coco_caption_scores', 'direction_accuracy',
    'qa_accuracy', 'retrieval_scores'
]
