# Copyright (c) mmvidlm authors. All rights reserved.
from .inti_vit import InTIViT
from .token_mix_vit import TokenMixViT
from .video_vit import VideoViT

__all__ = [
    'InTIViT',
    'TokenMixViT',
    'VideoViT',
]
