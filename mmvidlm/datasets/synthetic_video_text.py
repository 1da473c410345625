# Copyright (c) mmvidlm authors. All rights reserved.
"""The synthetic motion videos with their captions, for the demos and tests.

Captions name colour, shape and motion ("a red circle moves to the left"):
the motion words need temporal modelling, the rest one frame.
"""
from mmvidlm.registry import DATASETS
from .caption_dataset import VideoCaptionDataset
from .retrieval_dataset import VideoRetrievalDataset
from .synthetic_dataset import SyntheticVideosMixin


@DATASETS.register_module()
class SyntheticCaptionDataset(SyntheticVideosMixin, VideoCaptionDataset):
    __doc__ = ('The synthetic videos as a captioning data set.\n' +
               SyntheticVideosMixin.__doc__.split('\n', 1)[1])
    annotation = '{split}_captions.json'


@DATASETS.register_module()
class SyntheticRetrievalDataset(SyntheticVideosMixin, VideoRetrievalDataset):
    __doc__ = ('The synthetic videos as a text-video retrieval data set.\n' +
               SyntheticVideosMixin.__doc__.split('\n', 1)[1])
    annotation = '{split}_captions.json'
