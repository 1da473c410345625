# Copyright (c) mmvidlm authors. All rights reserved.
"""Every captioning / retrieval config parses, and builds its model (at a
tiny width, the layer count and every method-specific setting kept), its
optimizer's trainable groups and its data pipelines."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config

from tests.conftest import REPO_ROOT
from .conftest import TINY_MED_CONFIG, TOKENIZER

CONFIGS = sorted(
    glob.glob(osp.join(REPO_ROOT, 'configs', 'tokenmix', 'blip-*.py')) +
    glob.glob(osp.join(REPO_ROOT, 'configs', 'peft', '*_blip-b_*.py')) +
    glob.glob(osp.join(REPO_ROOT, 'configs', 'inti_tokenmix', '*.py')) +
    glob.glob(osp.join(REPO_ROOT, 'configs', 'demo', '*blip*.py')))
PAPER_TASKS = ('msrvtt-caption', 'msvd-caption', 'vatex-caption',
               'msrvtt-retrieval', 'lsmdc-retrieval')
PEFT_METHODS = ('vivit', 'temporal-ft', 'dual-attention', 'st-adapter',
                'adapter', 'bitfit', 'plain')


def test_every_task_and_method_has_a_config():
    names = {osp.basename(c)[:-3] for c in CONFIGS}
    for task in PAPER_TASKS:
        assert f'blip-b_{task}' in names
        assert f'blip-l_{task}' in names
        for method in PEFT_METHODS:
            assert f'{method}_blip-b_{task}' in names


def shrink(model: dict) -> dict:
    """Width 64 and 32x32 frames; depth, layer types and names kept."""
    backbone = model['backbone']
    num_layers = 24 if backbone['arch'] == 'l' else 12
    backbone.update(
        arch=dict(
            embed_dims=64,
            num_layers=num_layers,
            num_heads=4,
            feedforward_channels=128),
        img_size=32,
        num_frames=4)
    for cfg in (backbone.get('layer_cfgs') or {}, ):
        if 'adapter_channels' in cfg:
            cfg['adapter_channels'] = 16
    model['data_preprocessor']['tokenizer'] = TOKENIZER
    model.pop('init_cfg', None)
    if model['type'] == 'BlipVideoCaptioner':
        model['decoder_head']['decoder']['med_config'] = TINY_MED_CONFIG
    elif model['type'] == 'BlipVideoQA':
        model['multimodal_backbone']['med_config'] = TINY_MED_CONFIG
        model['head']['decoder']['med_config'] = TINY_MED_CONFIG
        model['answer_list'] = ['yes', 'no']  # no data set here
    else:
        model['text_backbone']['med_config'] = TINY_MED_CONFIG
        model['vision_neck'].update(in_features=64, out_features=32)
        model['text_neck'].update(in_features=64, out_features=32)
        if 'multimodal_head' in model:
            model['multimodal_head']['hidden_size'] = 64
    return model


@pytest.mark.parametrize('config', CONFIGS, ids=osp.basename)
def test_config_builds(config, registered):
    from mmengine.dataset import Compose

    from mmvidlm.registry import MODELS, OPTIM_WRAPPER_CONSTRUCTORS
    cfg = Config.fromfile(config)
    is_demo = 'demo' in config
    if not is_demo:
        assert cfg.model.backbone.num_frames == 8  # the paper's setting
        assert cfg.model.backbone.img_size == 224
        assert cfg.model.init_cfg.checkpoint.startswith(
            'https://storage.googleapis.com/sfr-vision-language-research/')
        cfg.model = shrink(cfg.model.to_dict())
    model = MODELS.build(cfg.model)
    optim = cfg.optim_wrapper.to_dict()
    constructor = optim.pop('constructor', 'DefaultOptimWrapperConstructor')
    paramwise = optim.pop('paramwise_cfg', None)
    # The trainable patterns must match parameters (a typo raises).
    OPTIM_WRAPPER_CONSTRUCTORS.build(
        dict(
            type=constructor, optim_wrapper_cfg=optim,
            paramwise_cfg=paramwise))(
                model)
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    online = {n for n, _ in model.named_parameters() if '_m.' not in n}
    assert not trainable - online  # momentum copies follow by EMA
    if ('vivit' in config or 'full-ft' in config or is_demo
            or cfg.model.type == 'BlipVideoQA'):
        # full fine-tuning (the reference trains every parameter for QA)
        assert trainable == online
    elif 'bitfit' in config:  # the reference's BitFit: every bias
        assert trainable == {n for n in online if n.endswith('.bias')}
    else:
        # The Token Mixing reference's groups outside the encoder
        # (tests/models/multimodal/test_tokenmix_recipes.py pins them).
        outside = ({'seq_gen_head.decoder.cls.predictions.bias'}
                   if cfg.model.type == 'BlipVideoCaptioner' else
                   {'vision_neck.weight', 'text_neck.weight', 'temp'})
        assert outside <= trainable  # LP / LH / ITC
        assert any(n.startswith('backbone.') for n in trainable)
        assert not any('decoder.bert.encoder' in n for n in trainable)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        Compose(cfg[loader].dataset.pipeline)
