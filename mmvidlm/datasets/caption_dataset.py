# Copyright (c) mmvidlm authors. All rights reserved.
import os.path as osp
from typing import List, Optional

from mmengine.dataset import BaseDataset

from mmvidlm.registry import DATASETS
from .robust import (RobustVideoMixin, check_caption_annotations,
                     load_json_annotations)


@DATASETS.register_module()
class VideoCaptionDataset(RobustVideoMixin, BaseDataset):
    """Videos with captions (MSR-VTT, MSVD, VATEX, ...), read with decord.

    The annotation file is the project's format, written by the scripts in
    ``tools/data/`` (see ``docs/data_preparation.md``)::

        [{"video": "video0.mp4", "captions": ["a man is ...", ...]}, ...]

    ``video`` is relative to ``data_prefix['video']``; an optional
    ``video_id`` names the video in predictions (default: ``video``
    without its extension).

    Training (``test_mode=False``) yields one sample per caption, its
    ``text``; testing yields one sample per video with every reference in
    ``gt_captions``. ``video_idx`` (the entry's index) and ``video_id`` are
    given to every sample.

    Args:
        ann_file (str): The annotation file.
        data_prefix (dict): ``dict(video=folder)``. Defaults to
            ``dict(video='')``.
        per_caption (bool, optional): One sample per caption (True) or per
            video (False); None: per caption unless ``test_mode``.
        max_skipped_videos (int): See :class:`RobustVideoMixin`.
        **kwargs: Other arguments of MMEngine's ``BaseDataset``
            (``pipeline``, ``data_root``, ``test_mode``, ...).
    """

    def __init__(self,
                 ann_file: str,
                 data_prefix: dict = dict(video=''),
                 per_caption: Optional[bool] = None,
                 **kwargs):
        self.per_caption = per_caption
        super().__init__(ann_file=ann_file, data_prefix=data_prefix, **kwargs)

    def load_data_list(self) -> List[dict]:
        entries = load_json_annotations(self.ann_file)
        check_caption_annotations(entries, self.ann_file)
        per_caption = (not self.test_mode
                       if self.per_caption is None else self.per_caption)
        prefix = self.data_prefix.get('video', '')
        data_list = []
        for idx, entry in enumerate(entries):
            captions = entry['captions']
            captions = [captions] if isinstance(captions, str) else captions
            video = dict(
                filename=osp.join(prefix, entry['video']),
                video_id=str(
                    entry.get('video_id',
                              osp.splitext(entry['video'])[0])),
                video_idx=idx,
                start_index=0,
                modality='RGB')
            if per_caption:
                data_list.extend(dict(video, text=c) for c in captions)
            else:
                data_list.append(self.video_sample(video, captions))
        return data_list

    def video_sample(self, video: dict, captions: List[str]) -> dict:
        """The test sample of a video: its references in ``gt_captions``."""
        return dict(video, gt_captions=captions)
