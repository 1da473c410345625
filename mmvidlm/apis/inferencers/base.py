# Copyright (c) mmvidlm authors. All rights reserved.
"""What every mmvidlm Inferencer shares: the model from a config, a
checkpoint or an already built model; videos given as paths or decoded
arrays; the test pipeline of the config."""
import copy
import os.path as osp
from pathlib import Path
from typing import Callable, List, Sequence, Union

import numpy as np
import torch.nn as nn
from mmaction.utils import get_str_type
from mmengine.dataset import Compose

VideoInput = Union[str, Path, np.ndarray]
VideoInputs = Union[VideoInput, Sequence[VideoInput]]


def video_test_pipeline(pipeline_cfg: Sequence[dict],
                        input_format: str) -> Compose:
    """A config's test pipeline for one kind of input.

    The pipeline gets MMAction2's ``InferencerPackInput`` in front. For
    ``'video'`` (a file path) the config's loading steps are kept; for
    ``'array'`` (a decoded (T, H, W, 3) uint8 RGB video) its ``*Init`` steps
    are dropped and its ``*Decode`` steps become ``ArrayDecode``.

    Args:
        pipeline_cfg (Sequence[dict]): The config's test pipeline.
        input_format (str): ``'video'`` or ``'array'``.

    Returns:
        Compose: The pipeline, called with one input.
    """
    steps = copy.deepcopy(list(pipeline_cfg))
    if input_format == 'array':
        steps = [
            dict(type='ArrayDecode')
            if 'Decode' in get_str_type(step['type']) else step
            for step in steps if 'Init' not in get_str_type(step['type'])
        ]
    elif input_format != 'video':
        raise ValueError("input_format must be 'video' or 'array', got "
                         f'{input_format!r}')
    return Compose(
        [dict(type='InferencerPackInput', input_format=input_format)] + steps)


class VideoPipeline:
    """The test pipeline for a file path or a decoded array, chosen per
    input.

    Args:
        pipeline_cfg (Sequence[dict]): The config's test pipeline.
    """

    def __init__(self, pipeline_cfg: Sequence[dict]):
        self.from_file = video_test_pipeline(pipeline_cfg, 'video')
        self.from_array = video_test_pipeline(pipeline_cfg, 'array')

    def __call__(self, video: VideoInput) -> dict:
        if isinstance(video, np.ndarray):
            return self.from_array(video)
        return self.from_file(str(video))


def videos_to_list(videos: VideoInputs) -> List[VideoInput]:
    """One video or several as a checked list.

    Args:
        videos: A path, a (T, H, W, 3) uint8 RGB array, or a list of them.

    Returns:
        list: The videos.
    """
    if isinstance(videos, (str, Path, np.ndarray)):
        videos = [videos]
    videos = list(videos)
    for video in videos:
        if isinstance(video, np.ndarray):
            if video.ndim != 4 or video.shape[-1] != 3 or \
                    video.dtype != np.uint8:
                raise ValueError(
                    'A decoded video must be a (T, H, W, 3) uint8 RGB array, '
                    f'got shape {video.shape} and dtype {video.dtype}.')
        elif isinstance(video, (str, Path)):
            if not osp.isfile(video):
                raise FileNotFoundError(f'Video file {video} not found.')
        else:
            raise TypeError('A video is a file path or a (T, H, W, 3) uint8 '
                            f'array, got {type(video).__name__}.')
    return videos


class VideoInferencerMixin:
    """Inputs, pipeline and model of the mmvidlm Inferencers.

    ``model`` may also be a model built by :func:`mmvidlm.apis.init_model`
    (it keeps its config in ``model.cfg``); it is then used as it is.
    """

    def __init__(self, model, *args, **kwargs):
        from mmvidlm.utils import register_all_modules
        register_all_modules()
        self._built_model = model if isinstance(model, nn.Module) else None
        if self._built_model is not None:
            if not hasattr(model, 'cfg'):
                raise ValueError('A built model needs its config in '
                                 '`model.cfg`: build it with '
                                 'mmvidlm.apis.init_model.')
            model = model.cfg
        kwargs.setdefault('scope', 'mmvidlm')
        super().__init__(model, *args, **kwargs)

    def _init_model(self, cfg, weights, device) -> nn.Module:
        if self._built_model is not None:
            return self._built_model
        return super()._init_model(cfg, weights, device)

    def _init_visualizer(self, cfg):
        # The config's storage backends need a work dir; the Inferencers
        # write their outputs themselves.
        cfg = copy.deepcopy(cfg)
        if cfg.get('visualizer') is not None:
            cfg.visualizer.pop('vis_backends', None)
        return super()._init_visualizer(cfg)

    def _inputs_to_list(self, inputs: VideoInputs) -> list:
        return videos_to_list(inputs)

    def _init_pipeline(self, cfg) -> Callable:
        return VideoPipeline(cfg.test_dataloader.dataset.pipeline)
