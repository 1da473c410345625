# Copyright (c) mmvidlm authors. All rights reserved.
from typing import List

from mmvidlm.registry import DATASETS
from .caption_dataset import VideoCaptionDataset


@DATASETS.register_module()
class VideoRetrievalDataset(VideoCaptionDataset):
    """Text-video retrieval data (MSR-VTT 1k-A, LSMDC, ...).

    Same annotation format as :class:`VideoCaptionDataset`. Training yields
    one (video, ``text``) pair per caption; testing yields one sample per
    video whose ``text`` lists all its captions: the queries of
    text-to-video retrieval, and the gallery of video-to-text retrieval.
    """

    def video_sample(self, video: dict, captions: List[str]) -> dict:
        return dict(video, text=list(captions))
