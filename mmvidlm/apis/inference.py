# Copyright (c) mmvidlm authors. All rights reserved.
"""One call per task, as ``mmaction.apis``: build a model from a config and
a checkpoint, then recognise, caption or retrieve."""
import sys
from pathlib import Path
from typing import List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
import torch.nn as nn
from mmaction.apis import inference_recognizer as mmaction_inference
from mmaction.apis import init_recognizer
from mmengine.config import Config
from mmengine.runner import load_checkpoint
from mmengine.utils import ProgressBar

from .inferencers import (TextToVideoRetrievalInferencer,
                          VideoCaptionInferencer, VideoRecognitionInferencer,
                          VideoToTextRetrievalInferencer)
from .inferencers.base import VideoInput, VideoInputs


def init_model(config: Union[str, Path, Config],
               checkpoint: Optional[str] = None,
               device: Union[str, torch.device] = 'cpu') -> nn.Module:
    """Build a model of any task from its config, in eval mode.

    MMAction2's ``init_recognizer`` builds it (in the config's scope,
    ``'mmvidlm'``); the checkpoint's ``dataset_meta`` (class names) is kept
    in ``model.dataset_meta``.

    Args:
        config (str | Path | Config): The config.
        checkpoint (str, optional): Weights to load; None keeps the
            initialisation of the constructors. Defaults to None.
        device (str | torch.device): Defaults to ``'cpu'``.

    Returns:
        nn.Module: The model, with its config in ``model.cfg``.
    """
    from mmvidlm.utils import register_all_modules
    register_all_modules()
    if isinstance(config, (str, Path)):
        config = Config.fromfile(str(config))
    model = init_recognizer(config, None, device)
    if checkpoint is not None:
        meta = load_checkpoint(
            model, checkpoint, map_location='cpu').get('meta',
                                                       {}).get('dataset_meta')
        if meta:
            model.dataset_meta = meta
    return model


def _single_or_list(videos: VideoInputs, results: list):
    return results[0] if isinstance(videos,
                                    (str, Path, np.ndarray)) else results


def inference_recognizer(model: nn.Module,
                         video: Union[VideoInputs, dict],
                         test_pipeline=None):
    """Recognise videos; ``mmaction.apis.inference_recognizer`` for mmvidlm.

    Args:
        model (nn.Module): A recognizer from :func:`init_model`.
        video: A video path, a (T, H, W, 3) uint8 RGB array or a list of
            them; a dict (the pipeline's input) or an explicit
            ``test_pipeline`` goes to MMAction2's function unchanged.
        test_pipeline (Compose, optional): See MMAction2. Defaults to None:
            the config's test pipeline.

    Returns:
        ActionDataSample | list: ``pred_score`` (num_classes,) per video.
    """
    if isinstance(video, dict) or test_pipeline is not None:
        return mmaction_inference(model, video, test_pipeline)
    predictions = VideoRecognitionInferencer(model)(
        video, return_datasamples=True)['predictions']
    return _single_or_list(video, predictions)


def class_names(model: nn.Module) -> Optional[List[str]]:
    """The class names of the checkpoint (``dataset_meta``), if known."""
    meta = getattr(model, 'dataset_meta', None) or {}
    classes = meta.get('classes')
    return list(classes) if classes is not None else None


def top_labels(sample,
               topk: int = 5,
               labels: Optional[Sequence[str]] = None
               ) -> List[Tuple[Union[str, int], float]]:
    """The ``topk`` (label, score) pairs of a recognition data sample.

    Args:
        sample (ActionDataSample): A prediction with ``pred_score``.
        topk (int): How many. Defaults to 5.
        labels (Sequence[str], optional): Class names; None gives indices.

    Returns:
        list[tuple]: Best first.
    """
    scores = sample.pred_score.float().cpu()
    if labels is not None and len(labels) != len(scores):
        raise ValueError(f'{len(labels)} label names for a model of '
                         f'{len(scores)} classes.')
    best = scores.topk(min(topk, len(scores)))
    return [(labels[i] if labels is not None else int(i), float(s))
            for s, i in zip(best.values, best.indices)]


def recognize_video(model: nn.Module,
                    video: VideoInput,
                    topk: int = 5,
                    labels: Optional[Sequence[str]] = None
                    ) -> List[Tuple[Union[str, int], float]]:
    """The ``topk`` labels of a video with their scores.

    Args:
        model (nn.Module): A recognizer from :func:`init_model`.
        video: A video path or a (T, H, W, 3) uint8 RGB array.
        topk (int): How many labels. Defaults to 5.
        labels (Sequence[str], optional): Class names. Defaults to the
            checkpoint's, else class indices.

    Returns:
        list[tuple]: (label, score) pairs, best first.
    """
    sample = inference_recognizer(model, video)
    return top_labels(sample, topk, labels or class_names(model))


def recognize_long_video(model: nn.Module,
                         video: str,
                         window: int,
                         stride: Optional[int] = None,
                         topk: int = 5,
                         labels: Optional[Sequence[str]] = None,
                         progress: bool = True) -> List[dict]:
    """Recognise a long video window by window, with a progress bar.

    Each window of ``window`` consecutive frames is one input to the
    config's test pipeline (which samples its frames from the window).

    Args:
        model (nn.Module): A recognizer from :func:`init_model`.
        video (str): Path of the video.
        window (int): Frames per window.
        stride (int, optional): Frames between window starts. Defaults to
            ``window`` (no overlap).
        topk (int): Labels per window. Defaults to 5.
        labels (Sequence[str], optional): Class names. Defaults to the
            checkpoint's.
        progress (bool): Show MMEngine's progress bar (with ETA). Defaults
            to True.

    Returns:
        list[dict]: Per window ``start`` and ``end`` (frame indices, end
        excluded) and ``labels`` ((label, score) pairs).
    """
    import decord
    reader = decord.VideoReader(video)
    stride = stride or window
    if window < 1 or stride < 1:
        raise ValueError(f'window and stride must be >= 1, got {window} '
                         f'and {stride}.')
    if len(reader) < window:
        raise ValueError(f'{video} has {len(reader)} frames, fewer than '
                         f'the window of {window}.')
    starts = range(0, len(reader) - window + 1, stride)
    inferencer = VideoRecognitionInferencer(model)
    labels = labels or class_names(model)
    bar = ProgressBar(len(starts), file=sys.stdout) if progress else None
    results = []
    for start in starts:
        frames = reader.get_batch(list(range(start, start + window))).asnumpy()
        sample = inferencer(frames, return_datasamples=True)['predictions'][0]
        results.append(
            dict(
                start=start,
                end=start + window,
                labels=top_labels(sample, topk, labels)))
        if bar is not None:
            bar.update()
    return results


def inference_captioner(model: nn.Module, video: VideoInputs):
    """Caption videos.

    Args:
        model (nn.Module): A captioner from :func:`init_model`.
        video: A video path, a (T, H, W, 3) uint8 RGB array or a list of
            them.

    Returns:
        ActionDataSample | list: ``pred_caption`` per video.
    """
    predictions = VideoCaptionInferencer(model)(
        video, return_datasamples=True)['predictions']
    return _single_or_list(video, predictions)


def caption_video(model: nn.Module, video: VideoInput) -> str:
    """The caption of one video (see :func:`inference_captioner`)."""
    return inference_captioner(model, video).pred_caption


def rank_videos(model: nn.Module,
                text: str,
                videos: Union[str, Sequence[VideoInput]],
                topk: Optional[int] = None) -> List[dict]:
    """Rank videos for a text.

    Args:
        model (nn.Module): A retriever from :func:`init_model`.
        text (str): The query.
        videos (str | list): A folder of videos, or video paths and arrays.
        topk (int, optional): How many; None ranks them all.

    Returns:
        list[dict]: ``match_score``, ``sample_idx`` and ``sample`` (the
        path), best first.
    """
    inferencer = TextToVideoRetrievalInferencer(model, prototype=videos)
    topk = topk or len(inferencer.prototype)
    return inferencer(text, topk=topk)['predictions'][0]


def rank_texts(model: nn.Module,
               video: VideoInput,
               texts: Sequence[str],
               topk: Optional[int] = None) -> List[dict]:
    """Rank texts for a video.

    Args:
        model (nn.Module): A retriever from :func:`init_model`.
        video: A video path or a (T, H, W, 3) uint8 RGB array.
        texts (list[str]): The candidate texts.
        topk (int, optional): How many; None ranks them all.

    Returns:
        list[dict]: ``match_score``, ``sample_idx`` and ``sample`` (the
        text), best first.
    """
    inferencer = VideoToTextRetrievalInferencer(model, prototype=list(texts))
    return inferencer(video, topk=topk or len(texts))['predictions'][0]
