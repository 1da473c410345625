# Copyright (c) mmvidlm authors. All rights reserved.
import os.path as osp
from typing import Dict

from mmvidlm.registry import DATASETS
from .robust import RobustVideoDataset
from .synthetic import CLASS_NAMES, NUM_FRAMES, generate_synthetic_videos


class SyntheticVideosMixin:
    """Generate the synthetic videos on first use, then read one of their
    annotation files like any data set of that format.

    The videos are written by
    :func:`mmvidlm.datasets.synthetic.generate_synthetic_videos` into
    ``data_root``; ``annotation`` (a class attribute, formatted with the
    split) names the file the data set reads.

    Args:
        data_root (str): Cache folder of the generated videos.
        split (str): ``'train'`` or ``'val'``. Defaults to ``'train'``.
        num_videos (dict): Videos per class of each split. Defaults to
            ``dict(train=24, val=8)``.
        num_frames (int): Frames per video. Defaults to
            :data:`mmvidlm.datasets.synthetic.NUM_FRAMES` (17).
        frame_size (int): Frame size in pixels. Defaults to 64.
        seed (int): Generation seed. Defaults to 0.
        **kwargs: Other arguments of the data set class (``pipeline``,
            ``test_mode``, ``max_skipped_videos``, ...).
    """
    annotation = '{split}_list.txt'

    def __init__(self,
                 data_root: str,
                 split: str = 'train',
                 num_videos: Dict[str, int] = dict(train=24, val=8),
                 num_frames: int = NUM_FRAMES,
                 frame_size: int = 64,
                 seed: int = 0,
                 **kwargs):
        if split not in num_videos:
            raise ValueError(f'split {split!r} is not one of the generated '
                             f'splits {sorted(num_videos)}')
        generate_synthetic_videos(data_root, num_videos, num_frames,
                                  frame_size, seed)
        super().__init__(
            ann_file=osp.join(data_root, self.annotation.format(split=split)),
            data_prefix=dict(video=osp.join(data_root, 'videos')),
            **kwargs)


@DATASETS.register_module()
class SyntheticVideoDataset(SyntheticVideosMixin, RobustVideoDataset):
    __doc__ = ('The synthetic motion videos as an action-recognition data '
               'set (MMAction2\'s VideoDataset format, unreadable videos '
               'handled by :class:`RobustVideoDataset`).\n' +
               SyntheticVideosMixin.__doc__.split('\n', 1)[1])
    METAINFO = dict(classes=CLASS_NAMES)
