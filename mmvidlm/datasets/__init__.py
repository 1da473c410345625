# Copyright (c) mmvidlm authors. All rights reserved.
# isort: skip_file (compatibility fixes before MMAction2 is imported)
import mmvidlm  # noqa: F401  (compatibility fixes first)
import mmaction.datasets  # noqa: F401,E402  (registers MMAction2's transforms)

from .synthetic import (APPEARANCE_CLASSES, CLASS_NAMES, MOTION_CLASSES,
                        MOTION_PAIRS, generate_synthetic_videos)
from .robust import (AnnotationError, RobustVideoDataset, RobustVideoMixin,
                     VideoReadError, check_caption_annotations,
                     load_json_annotations)
from .synthetic_dataset import SyntheticVideoDataset
from .transforms import DecordDecode, DecordInit
from .caption_dataset import VideoCaptionDataset
from .retrieval_dataset import VideoRetrievalDataset
from .qa_dataset import VideoQADataset
from .synthetic_video_text import (SyntheticCaptionDataset,
                                   SyntheticRetrievalDataset)
from .synthetic_qa import SYNTHETIC_QA_ANSWERS, SyntheticQADataset

__all__ = [
    'VideoCaptionDataset', 'VideoRetrievalDataset', 'SyntheticCaptionDataset',
    'SyntheticRetrievalDataset', 'VideoQADataset', 'SyntheticQADataset',
    'SYNTHETIC_QA_ANSWERS', 'APPEARANCE_CLASSES', 'CLASS_NAMES',
    'MOTION_CLASSES', 'MOTION_PAIRS', 'SyntheticVideoDataset',
    'generate_synthetic_videos', 'AnnotationError', 'RobustVideoDataset',
    'RobustVideoMixin', 'VideoReadError', 'check_caption_annotations',
    'load_json_annotations', 'DecordDecode', 'DecordInit'
]
