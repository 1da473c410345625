# Copyright (c) mmvidlm authors. All rights reserved.
"""Every InTI, naive and compressive-baseline config builds and trains one
step on the synthetic motion videos, through its own training pipeline.

The model is made tiny (width 32) at the config's depth, so that the
config's layer indices (InTI insertion points, global blocks) stay valid.
The synthetic-motion classifiers of the demos and the PEFT benchmark are
tiny already and train one step as they are.
"""
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.optim import build_optim_wrapper

from mmvidlm.models.backbones import VideoViT
from mmvidlm.registry import DATASETS, MODELS
from mmvidlm.utils import register_all_modules

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = sorted(
    osp.relpath(path, REPO_ROOT) for folder in ('inti', 'naive', 'compressive')
    for path in glob.glob(
        osp.join(REPO_ROOT, 'configs', folder, '**', '*.py'), recursive=True))
SYNTHETIC_CONFIGS = sorted(
    osp.relpath(path, REPO_ROOT)
    for pattern in ('demo/*synthetic-motion.py',
                    'peft/*_vit-tiny_synthetic-motion.py')
    for path in glob.glob(osp.join(REPO_ROOT, 'configs', pattern)))
TINY_WIDTH = 32


def test_the_paper_configs_exist():
    for path in ('configs/inti/vit-b_k400.py', 'configs/inti/vit-l14_k400.py',
                 'configs/naive/vit-b_k400.py',
                 'configs/naive/vit-l14_k400.py'):
        assert path in CONFIGS


def make_tiny(cfg: Config) -> None:
    backbone = cfg.model.backbone
    depth = VideoViT.arch_zoo[backbone.arch]['num_layers']
    backbone.arch = dict(
        embed_dims=TINY_WIDTH,
        num_layers=depth,
        num_heads=2,
        feedforward_channels=2 * TINY_WIDTH)
    backbone.pop('init_cfg', None)  # no CLIP weights in the tests
    cfg.model.cls_head.in_channels = TINY_WIDTH


@pytest.fixture(scope='module')
def training_batch(synthetic_data_root):
    """Two synthetic videos of different classes through a config's training
    pipeline; one batch per distinct pipeline (the configs share a few)."""
    from tests.conftest import SYNTHETIC_TEST_DATA
    batches = {}

    def make(pipeline):
        key = repr(pipeline)
        if key not in batches:
            dataset = DATASETS.build(
                dict(
                    type='SyntheticVideoDataset',
                    data_root=synthetic_data_root,
                    split='train',
                    pipeline=pipeline,
                    **SYNTHETIC_TEST_DATA))
            # The pipeline itself, not __getitem__: a failing transform
            # must fail the test, not be retried on another video.
            batches[key] = pseudo_collate([
                dataset.pipeline(dataset.get_data_info(i))
                for i in (0, len(dataset) - 1)
            ])
        return batches[key]

    return make


@pytest.mark.parametrize('config', CONFIGS + SYNTHETIC_CONFIGS)
def test_config_trains_one_step(config, training_batch):
    register_all_modules()
    cfg = Config.fromfile(osp.join(REPO_ROOT, config))
    if config not in SYNTHETIC_CONFIGS:
        make_tiny(cfg)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    batch = training_batch(cfg.train_dataloader.dataset.pipeline)
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    losses = model.train_step(batch, optim_wrapper)
    assert torch.isfinite(losses['loss'])
