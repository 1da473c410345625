# Copyright (c) mmvidlm authors. All rights reserved.
from .inti_vit import InTIViT
from .video_vit import VideoViT

__all__ = [
    'InTIViT',
    'VideoViT',
]
