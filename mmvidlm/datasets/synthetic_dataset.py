# Copyright (c) mmvidlm authors. All rights reserved.
import os.path as osp
from typing import Dict

from mmvidlm.registry import DATASETS
from .robust import RobustVideoDataset
from .synthetic import CLASS_NAMES, generate_synthetic_videos


@DATASETS.register_module()
class SyntheticVideoDataset(RobustVideoDataset):
    """The built-in synthetic motion videos as an MMAction2 VideoDataset.

    The videos are generated on first use (see
    :func:`mmvidlm.datasets.synthetic.generate_synthetic_videos`) into
    ``data_root`` and then read like any video data set: decord through
    MMAction2's pipeline, unreadable videos handled by
    :class:`~mmvidlm.datasets.RobustVideoDataset`.

    Args:
        data_root (str): Cache folder of the generated videos.
        split (str): ``'train'`` or ``'val'``. Defaults to ``'train'``.
        num_videos (dict): Videos per class of each split. Defaults to
            ``dict(train=24, val=8)``.
        num_frames (int): Frames per video. Defaults to 16.
        frame_size (int): Frame size in pixels. Defaults to 64.
        seed (int): Generation seed. Defaults to 0.
        **kwargs: Other arguments of :class:`RobustVideoDataset`
            (``pipeline``, ``test_mode``, ``max_skipped_videos``, ...).
    """

    METAINFO = dict(classes=CLASS_NAMES)

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
            ann_file=osp.join(data_root, f'{split}_list.txt'),
            data_prefix=dict(video=osp.join(data_root, 'videos')),
            **kwargs)
