# Copyright (c) mmvidlm authors. All rights reserved.
import mmvidlm  # noqa: F401  (compatibility fixes first)
import mmaction.datasets  # noqa: F401,E402  (registers MMAction2's transforms)

from .synthetic import (APPEARANCE_CLASSES, CLASS_NAMES, MOTION_CLASSES,
                        generate_synthetic_videos)
from .synthetic_dataset import SyntheticVideoDataset

__all__ = [
    'APPEARANCE_CLASSES', 'CLASS_NAMES', 'MOTION_CLASSES',
    'SyntheticVideoDataset', 'generate_synthetic_videos'
]
