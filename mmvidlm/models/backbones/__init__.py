# Copyright (c) mmvidlm authors. All rights reserved.
from .video_vit import VideoViT

__all__ = ['VideoViT']
