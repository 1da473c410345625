# Copyright (c) mmvidlm authors. All rights reserved.
"""The synthetic motion videos with their captions, for the demos and tests.

Captions name colour, shape and motion ("a red circle moves to the left"):
the motion words need temporal modelling, the rest one frame.
"""
import os.path as osp
from typing import Dict

from mmvidlm.registry import DATASETS
from .caption_dataset import VideoCaptionDataset
from .retrieval_dataset import VideoRetrievalDataset
from .synthetic import generate_synthetic_videos


class _SyntheticVideoTextMixin:
    """Generate the videos on first use, then read ``{split}_captions.json``.

    Args:
        data_root (str): Cache folder of the generated videos.
        split (str): ``'train'`` or ``'val'``. Defaults to ``'train'``.
        num_videos (dict): Videos per class of each split. Defaults to
            ``dict(train=24, val=8)``.
        num_frames (int): Frames per video. Defaults to 16.
        frame_size (int): Frame size in pixels. Defaults to 64.
        seed (int): Generation seed. Defaults to 0.
        **kwargs: Other arguments of the data set (``pipeline``,
            ``test_mode``, ``per_caption``, ...).
    """

    def __init__(self,
                 data_root: str,
                 split: str = 'train',
                 num_videos: Dict[str, int] = dict(train=24, val=8),
                 num_frames: int = 16,
                 frame_size: int = 64,
                 seed: int = 0,
                 **kwargs):
        if split not in num_videos:
            raise ValueError(f'split {split!r} is not one of the generated '
                             f'splits {sorted(num_videos)}')
        generate_synthetic_videos(data_root, num_videos, num_frames,
                                  frame_size, seed)
        super().__init__(
            ann_file=osp.join(data_root, f'{split}_captions.json'),
            data_prefix=dict(video=osp.join(data_root, 'videos')),
            **kwargs)


@DATASETS.register_module()
class SyntheticCaptionDataset(_SyntheticVideoTextMixin, VideoCaptionDataset):
    __doc__ = ('The synthetic videos as a captioning data set.\n' +
               _SyntheticVideoTextMixin.__doc__.split('\n', 1)[1])


@DATASETS.register_module()
class SyntheticRetrievalDataset(_SyntheticVideoTextMixin,
                                VideoRetrievalDataset):
    __doc__ = ('The synthetic videos as a text-video retrieval data set.\n' +
               _SyntheticVideoTextMixin.__doc__.split('\n', 1)[1])
