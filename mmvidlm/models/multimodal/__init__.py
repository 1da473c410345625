# Copyright (c) mmvidlm authors. All rights reserved.
import mmpretrain.models  # noqa: F401  (BLIP's text models and heads)

from .blip_video_captioner import BlipVideoCaptioner
from .blip_video_qa import BlipVideoQA
from .blip_video_retriever import BlipVideoRetriever
from .data_preprocessor import VideoTextDataPreprocessor
from .tokenizer import BlipTokenizer

__all__ = [
    'BlipTokenizer', 'BlipVideoCaptioner', 'BlipVideoQA', 'BlipVideoRetriever',
    'VideoTextDataPreprocessor'
]
