# Copyright (c) mmvidlm authors. All rights reserved.
from .inference import (caption_video, class_names, inference_captioner,
                        inference_recognizer, init_model, rank_texts,
                        rank_videos, recognize_long_video, recognize_video,
                        top_labels)
from .inferencers import (TextToVideoRetrievalInferencer,
                          VideoCaptionInferencer, VideoRecognitionInferencer,
                          VideoToTextRetrievalInferencer)

__all__ = [
    'init_model', 'inference_recognizer', 'recognize_video',
    'recognize_long_video', 'top_labels', 'class_names', 'inference_captioner',
    'caption_video', 'rank_videos', 'rank_texts', 'VideoRecognitionInferencer',
    'VideoCaptionInferencer', 'TextToVideoRetrievalInferencer',
    'VideoToTextRetrievalInferencer'
]
