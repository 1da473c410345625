# Copyright (c) mmvidlm authors. All rights reserved.
"""mmvidlm's registries find mmvidlm, MMAction2, MMEngine and (with the
``mmpretrain.`` prefix) MMPretrain modules."""
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmvidlm.registry import DATASETS, HOOKS, METRICS, MODELS, TRANSFORMS


def test_mmvidlm_module():
    from mmvidlm.models import VideoViT
    assert MODELS.scope == 'mmvidlm'
    assert MODELS.get('VideoViT') is VideoViT
    assert MODELS.get('mmvidlm.VideoViT') is VideoViT
    from mmvidlm.datasets import SyntheticVideoDataset
    assert DATASETS.get('SyntheticVideoDataset') is SyntheticVideoDataset


def test_mmaction_and_mmengine_modules_via_parents():
    from mmaction.datasets.transforms import UniformSample
    from mmaction.evaluation import AccMetric
    from mmaction.models import Recognizer3D
    from mmengine.hooks import CheckpointHook
    assert MODELS.get('Recognizer3D') is Recognizer3D
    assert TRANSFORMS.get('UniformSample') is UniformSample
    assert METRICS.get('AccMetric') is AccMetric
    assert HOOKS.get('CheckpointHook') is CheckpointHook


def test_mmpretrain_module_via_prefix():
    from mmpretrain.models.backbones import VisionTransformer
    assert MODELS.get('mmpretrain.VisionTransformer') is VisionTransformer


def test_config_with_default_scope_builds_nested_modules():
    """MMAction2's Recognizer3D builds its backbone from mmvidlm's registry
    when the default scope is mmvidlm."""
    from mmaction.models import Recognizer3D

    from mmvidlm.models import VideoViT
    init_default_scope('mmvidlm')
    model = MODELS.build(
        Config(
            dict(
                type='Recognizer3D',
                backbone=dict(
                    type='VideoViT',
                    arch='tiny',
                    img_size=32,
                    patch_size=8,
                    act_cfg=dict(type='mmpretrain.QuickGELU')),
                cls_head=dict(
                    type='TimeSformerHead', num_classes=6, in_channels=64))))
    assert isinstance(model, Recognizer3D)
    assert isinstance(model.backbone, VideoViT)
