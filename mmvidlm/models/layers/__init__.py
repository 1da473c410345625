# Copyright (c) mmvidlm authors. All rights reserved.
from .transformer_layer import VideoTransformerLayer

__all__ = ['VideoTransformerLayer']
