# Copyright (c) mmvidlm authors. All rights reserved.
from typing import List, Optional

import mmengine
from mmengine.infer import BaseInferencer

from mmvidlm.registry import INFERENCERS
from .base import VideoInferencerMixin, VideoInputs


@INFERENCERS.register_module(name='video-caption')
@INFERENCERS.register_module()
class VideoCaptionInferencer(VideoInferencerMixin, BaseInferencer):
    """Caption videos, as MMPretrain's ``ImageCaptionInferencer`` does
    images.

    Args:
        model (str | Config | nn.Module): Config path or object of a
            captioner (e.g. ``BlipVideoCaptioner``), or a model built by
            :func:`mmvidlm.apis.init_model`.
        weights (str, optional): Checkpoint. Defaults to None.
        device (str, optional): Device; None picks one. Defaults to None.
        show_progress (bool): Show a progress bar over the batches.
            Defaults to False.

    Example:
        >>> from mmvidlm.apis import VideoCaptionInferencer
        >>> inferencer = VideoCaptionInferencer(
        ...     'configs/demo/tokenmix_blip-tiny_synthetic-caption.py',
        ...     'work_dirs/demo_caption/epoch_30.pth', device='cpu')
        >>> inferencer('video.mp4')['predictions'][0]
        {'pred_caption': 'a red circle moves to the left'}
    """
    postprocess_kwargs: set = {'print_result', 'pred_out_file'}

    def __init__(self,
                 model,
                 weights: Optional[str] = None,
                 device: Optional[str] = None,
                 show_progress: bool = False):
        super().__init__(model, weights, device, show_progress=show_progress)

    def __call__(self,
                 inputs: VideoInputs,
                 return_datasamples: bool = False,
                 batch_size: int = 1,
                 **kwargs) -> dict:
        """Caption videos.

        Args:
            inputs: A video path, a (T, H, W, 3) uint8 RGB array, or a list
                of them.
            return_datasamples (bool): Return MMAction2's data samples (with
                ``pred_caption``) instead of dicts. Defaults to False.
            batch_size (int): Videos per forward pass. Defaults to 1.
            print_result (bool): Print the predictions. Defaults to False.
            pred_out_file (str): Dump the predictions to this file (json,
                yaml or pickle). Defaults to ''.

        Returns:
            dict: ``predictions``: one per video.
        """
        return super().__call__(inputs, return_datasamples, batch_size,
                                **kwargs)

    def _init_visualizer(self, cfg) -> None:
        return None

    def visualize(self, inputs: list, preds: list, **kwargs) -> None:
        """Captions are text: nothing to draw."""
        return None

    def postprocess(self,
                    preds: list,
                    visualization: None,
                    return_datasamples: bool = False,
                    print_result: bool = False,
                    pred_out_file: str = '') -> dict:
        """Pack the captions; print or dump them if asked."""
        captions: List[dict] = [
            dict(pred_caption=sample.pred_caption) for sample in preds
        ]
        if print_result:
            print(captions)
        if pred_out_file:
            mmengine.dump(captions, pred_out_file)
        return dict(
            predictions=preds if return_datasamples else captions,
            visualization=visualization)
