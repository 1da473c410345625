# Copyright (c) mmvidlm authors. All rights reserved.
from mmaction.apis.inferencers import ActionRecogInferencer

from mmvidlm.registry import INFERENCERS
from .base import VideoInferencerMixin


@INFERENCERS.register_module(name='video-recognition')
@INFERENCERS.register_module()
class VideoRecognitionInferencer(VideoInferencerMixin, ActionRecogInferencer):
    """MMAction2's ``ActionRecogInferencer`` for mmvidlm models.

    Inputs may mix video paths and decoded (T, H, W, 3) uint8 RGB arrays;
    the pipeline is the config's test pipeline (the array's gets
    ``ArrayDecode`` in place of the file loading steps). Predictions are
    MMAction2's ``ActionDataSample`` with ``pred_score`` (num_classes,) or
    dicts of ``pred_labels`` / ``pred_scores``; visualisation (``show``,
    ``vid_out_dir``) is MMAction2's.

    Args:
        model (str | Config | nn.Module): Config path or object, or a model
            built by :func:`mmvidlm.apis.init_model`.
        weights (str, optional): Checkpoint. Defaults to None.
        device (str, optional): Device; None picks one. Defaults to None.
        label_file (str, optional): Class names, one per line, for the
            visualiser. Defaults to None.
        show_progress (bool): Show a progress bar over the batches.
            Defaults to False.

    Example:
        >>> from mmvidlm.apis import VideoRecognitionInferencer
        >>> inferencer = VideoRecognitionInferencer(
        ...     'configs/demo/naive_vit-tiny_synthetic-motion.py',
        ...     'work_dirs/demo/epoch_40.pth', device='cpu')
        >>> inferencer('video.mp4')['predictions'][0]['pred_scores']
    """

    def __init__(self,
                 model,
                 weights=None,
                 device=None,
                 label_file=None,
                 show_progress: bool = False):
        super().__init__(model, weights, device, label_file)
        self.show_progress = show_progress
