# Copyright (c) mmvidlm authors. All rights reserved.
from .base import VideoPipeline, video_test_pipeline, videos_to_list
from .video_caption import VideoCaptionInferencer
from .video_recognition import VideoRecognitionInferencer
from .video_text_retrieval import (TextToVideoRetrievalInferencer,
                                   VideoToTextRetrievalInferencer)

__all__ = [
    'VideoPipeline', 'video_test_pipeline', 'videos_to_list',
    'VideoRecognitionInferencer', 'VideoCaptionInferencer',
    'TextToVideoRetrievalInferencer', 'VideoToTextRetrievalInferencer'
]
