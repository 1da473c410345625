# Copyright (c) mmvidlm authors. All rights reserved.
"""BLIP's momentum encoders and feature queue load from a BLIP retrieval
checkpoint, as the Token Mixing reference loads them (models/blip.py
``load_checkpoint``), and the first momentum update keeps them
(docs/reproduction.md, 1.4)."""
import logging

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.logging import MMLogger
from mmengine.optim import OptimWrapper
from mmengine.runner.checkpoint import load_checkpoint

from mmvidlm.models.utils import convert_state_dict, load_pretrained
from ..utils.conftest import BLIPViT, randomize_norms
from .conftest import TINY_MED_CONFIG, batch, tiny_retriever_cfg

#: The reference's recipe (configs/retrieval_msrvtt.yaml), a tiny queue.
RECIPE = dict(momentum=0.995, queue_size=8, alpha=0.4, itm_loss_weight=1.)
TEXTS = ['a red circle', 'a red ball', 'a bar', 'a square']
VIDEO_IDX = [0, 0, 1, 2]
#: The online / momentum pairs: mmvidlm's name, BLIP's name.
PAIRS = dict(
    backbone='visual_encoder',
    text_backbone='text_encoder',
    vision_neck='vision_proj',
    text_neck='text_proj')


def blip_retrieval_state(queue_size: int = 8, resolution: int = 32) -> dict:
    """A tiny BLIP retrieval checkpoint in Salesforce's (and LAVIS') layout
    (``BLIP_Retrieval`` of models/blip_retrieval.py): ViT and BERT text
    encoder (MMPretrain's ``XBertEncoder`` is BLIP's ``med.BertModel``),
    their momentum copies with weights of their own, the projections, the
    ITM head, the temperature and the feature queue (256-d and 57600 pairs
    in BLIP, 32-d and ``queue_size`` here); images of ``resolution``
    pixels, patch 8."""
    from mmvidlm.registry import MODELS
    torch.manual_seed(1)
    parts = dict(
        visual_encoder=BLIPViT(resolution, 8, 64, 4, 4),
        visual_encoder_m=BLIPViT(resolution, 8, 64, 4, 4),
        text_encoder=MODELS.build(
            dict(type='mmpretrain.XBertEncoder', med_config=TINY_MED_CONFIG)),
        text_encoder_m=MODELS.build(
            dict(type='mmpretrain.XBertEncoder', med_config=TINY_MED_CONFIG)),
        vision_proj=nn.Linear(64, 32),
        vision_proj_m=nn.Linear(64, 32),
        text_proj=nn.Linear(64, 32),
        text_proj_m=nn.Linear(64, 32),
        itm_head=nn.Linear(64, 2))
    state = {}
    for name, module in parts.items():
        randomize_norms(module)
        state.update({
            f'{name}.{k}': v.detach().clone()
            for k, v in module.state_dict().items()
        })
    state.update(
        temp=torch.tensor(0.05),
        image_queue=F.normalize(torch.randn(32, queue_size), dim=0),
        text_queue=F.normalize(torch.randn(32, queue_size), dim=0),
        idx_queue=torch.randint(0, 1000, (1, queue_size)),
        ptr_queue=torch.tensor([3]))
    return state


def build(checkpoint=None, **kwargs):
    from mmvidlm.registry import MODELS
    torch.manual_seed(0)
    init_cfg = None if checkpoint is None else dict(
        type='Pretrained', checkpoint=checkpoint)
    return MODELS.build(
        tiny_retriever_cfg(init_cfg=init_cfg, **dict(RECIPE,
                                                     **kwargs))).train()


def save(tmp_path, state, name='blip.pth') -> str:
    path = str(tmp_path / name)
    torch.save(dict(model=state), path)  # BLIP's checkpoints: 'model'
    return path


def blip_view(state: dict) -> dict:
    """``state`` in the converted layout with mmvidlm's names: the
    (frozen) momentum encoders under ``<online>_m.module.``."""
    converted, _ = convert_state_dict(state)
    renames = {
        'visual.': 'backbone.',
        'visual_m.': 'backbone_m.module.',
        'itm_head.': 'multimodal_head.fc.'
    }
    for ours, blip in PAIRS.items():
        if ours != 'backbone':
            renames[f'{blip}.'] = f'{ours}.'
            renames[f'{blip}_m.'] = f'{ours}_m.module.'
    out = {}
    for key, value in converted.items():
        prefix = next((p for p in renames if key.startswith(p)), '')
        out[renames.get(prefix, '') + key[len(prefix):]] = value
    return out


def loss_data(model):
    return model.data_preprocessor(
        batch(TEXTS, video_idx=VIDEO_IDX), training=True)


def test_momentum_weights_and_queue_load_exactly(registered, tmp_path):
    state = blip_retrieval_state()
    model = build()
    missing, unexpected = load_pretrained(
        model, save(tmp_path, state), logger=None)
    # Every checkpoint tensor has a place; only the EMA step counters
    # (not in BLIP's checkpoints) keep their own initialisation.
    assert unexpected == []
    assert sorted(missing) == sorted(f'{n}_m.steps' for n in PAIRS)
    expected = blip_view(state)
    assert len(expected) == len(state)
    ours = model.state_dict()
    for key, value in expected.items():
        assert torch.equal(ours[key], value), key
    # The momentum copies differ from the online encoders, and the queue
    # (COCO features and ids in BLIP's checkpoint) is BLIP's.
    assert not torch.equal(model.backbone_m.module.layers[0].attn.qkv.weight,
                           model.backbone.layers[0].attn.qkv.weight)
    assert torch.equal(model.queue.video_queue, state['image_queue'])
    assert torch.equal(model.queue.idx_queue, state['idx_queue'])
    assert int(model.queue.ptr_queue) == 3
    assert model.text_backbone_m.loaded == set(
        dict(model.text_backbone_m.module.named_parameters()))


def test_momentum_position_embedding_is_resized(registered, tmp_path):
    """BLIP's retrieval checkpoints are 384 px; the reference resizes
    ``visual_encoder_m.pos_embed`` as the online one (models/blip.py:221-223):
    here VideoViT's load hook does, in the momentum copy too."""
    state = blip_retrieval_state(resolution=48)  # 6x6 patches -> 4x4
    state['visual_encoder_m.pos_embed'] = state['visual_encoder.pos_embed']
    model = build()
    missing, _ = load_pretrained(model, save(tmp_path, state), logger=None)
    assert all(k.endswith('_m.steps') for k in missing)
    assert model.backbone.pos_embed.shape == (1, 17, 64)
    torch.testing.assert_close(model.backbone_m.module.pos_embed,
                               model.backbone.pos_embed)
    assert 'pos_embed' in model.backbone_m.loaded
    torch.testing.assert_close(model.backbone_m.module.pos_embed[:, 0],
                               state['visual_encoder_m.pos_embed'][:, 0])


def test_mmpretrain_blip_retrieval_momentum_and_queue(registered):
    """MMPretrain's ``BlipRetrieval``: momentum copies ``*_m``, the queue
    in its ``ITCHead`` (``head.``, pointer ``queue_ptr``)."""
    from mmvidlm.models.utils.pretrained import place_components
    model = build()
    ours = model.state_dict()
    upstream_to_ours = {
        'vision_backbone_m.layers.1.attn.qkv.weight':
        'backbone_m.module.layers.1.attn.qkv.weight',
        'vision_backbone.layers.1.attn.qkv.weight':
        'backbone.layers.1.attn.qkv.weight',
        'text_backbone_m.encoder.layer.0.attention.self.query.weight':
        'text_backbone_m.module.encoder.layer.0.attention.self.query.weight',
        'vision_neck_m.weight': 'vision_neck_m.module.weight',
        'text_neck_m.bias': 'text_neck_m.module.bias',
        'head.image_queue': 'queue.video_queue',
        'head.text_queue': 'queue.text_queue',
        'head.idx_queue': 'queue.idx_queue',
        'head.queue_ptr': 'queue.ptr_queue',
    }
    state = {
        k: torch.randn(ours[v].shape)
        for k, v in upstream_to_ours.items()
    }
    converted, layout = convert_state_dict(state)
    assert layout == 'mmpretrain_blip'
    placed = place_components(converted, model)
    assert set(placed) == set(upstream_to_ours.values())
    for k, v in upstream_to_ours.items():
        assert torch.equal(placed[v], state[k])


def test_queue_of_another_size_is_skipped_and_logged(registered, tmp_path):
    """BLIP's queue holds 57600 pairs; a model with another queue_size
    keeps its random queue, as the reference drops tensors of another
    shape; the momentum weights still load."""
    state = blip_retrieval_state(queue_size=8)
    model = build(queue_size=6)
    before = {k: v.clone() for k, v in model.queue.named_buffers()}
    logger = MMLogger.get_current_instance()
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger.addHandler(handler)
    try:
        missing, unexpected = load_pretrained(model, save(tmp_path, state))
    finally:
        logger.removeHandler(handler)
    messages = '\n'.join(r.getMessage() for r in records)
    assert "feature queue queue.video_queue is (32, 8), this model's " \
        '(D, queue_size) is (32, 6)' in messages
    assert 'size mismatch for queue.idx_queue' in messages
    for name in ('video_queue', 'text_queue', 'idx_queue'):
        assert torch.equal(getattr(model.queue, name), before[name])
    assert int(model.queue.ptr_queue) == 3  # loaded, as the reference
    assert unexpected == [] and all(k.endswith('_m.steps') for k in missing)
    assert torch.equal(model.vision_neck_m.module.weight,
                       state['vision_proj_m.weight'])


@pytest.mark.parametrize('dropped',
                         [(), ('visual_encoder_m.norm.', 'text_proj_m.')])
def test_first_step_updates_the_loaded_momentum_weights(
        registered, tmp_path, dropped):
    """One training step: ``p_m = 0.995 * p_m + 0.005 * p`` from the
    checkpoint's ``p_m`` (the reference's ``copy_params`` runs before its
    ``load_checkpoint``); a momentum tensor the checkpoint lacks starts
    from the online one."""
    state = {
        k: v
        for k, v in blip_retrieval_state().items() if not k.startswith(dropped)
    }
    model = build(save(tmp_path, state))
    model.init_weights()
    online = {n: p.detach().clone() for n, p in model.named_parameters()}
    momentum = {k: v.clone() for k, v in model.state_dict().items()}
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1))
    model.train_step(batch(TEXTS, video_idx=VIDEO_IDX), optim)
    loaded = blip_view(state)
    ours = model.state_dict()
    num_copied = 0
    for name in PAIRS:
        assert int(getattr(model, f'{name}_m').steps) == 1
        for key, _ in getattr(model, name).named_parameters():
            key, key_m = f'{name}.{key}', f'{name}_m.module.{key}'
            if key_m in loaded:
                # The checkpoint's momentum weight, one EMA step on.
                assert torch.equal(momentum[key_m], loaded[key_m])
                target = 0.995 * loaded[key_m] + 0.005 * online[key]
            else:  # copied from the online weight (BLIP's copy_params)
                target = online[key]
                num_copied += 1
            torch.testing.assert_close(
                ours[key_m], target, atol=1e-7, rtol=1e-6, msg=key_m)
    assert num_copied == (4 if dropped else 0)
    # A real step: the online weights moved.
    assert not torch.equal(model.text_neck.weight, online['text_neck.weight'])


def test_without_momentum_weights_the_first_update_copies(
        registered, tmp_path):
    """A checkpoint without ``*_m`` weights (e.g. BLIP's captioning or
    pre-training-free encoders): the momentum encoders start from the
    loaded online weights, as BLIP's ``copy_params``."""
    state = {k: v for k, v in blip_retrieval_state().items() if '_m.' not in k}
    model = build(save(tmp_path, state))
    model.init_weights()
    assert all(not getattr(model, f'{n}_m').loaded for n in PAIRS)
    model.loss(**loss_data(model))
    for name in PAIRS:
        online = getattr(model, name).state_dict()
        for key, value in getattr(model,
                                  f'{name}_m').module.state_dict().items():
            assert torch.equal(value, online[key]), f'{name}_m.{key}'


def test_resume_restores_the_momentum_weights_and_queue(registered, tmp_path):
    """An mmvidlm checkpoint (after a step) restores the copies, their
    ``steps`` and the queue; the next update is an EMA step, not a copy.
    One saved before any update (``steps`` 0) holds construction-time
    copies: the first update after loading it copies."""
    model = build(save(tmp_path, blip_retrieval_state()))
    model.init_weights()
    model.loss(**loss_data(model))
    trained = {k: v.clone() for k, v in model.state_dict().items()}
    path = str(tmp_path / 'epoch_1.pth')
    torch.save(dict(state_dict=trained, meta=dict(epoch=1)), path)

    # As the runner's resume / load_from.
    resumed = build()
    load_checkpoint(resumed, path, map_location='cpu', strict=True)
    for key, value in resumed.state_dict().items():
        assert torch.equal(value, trained[key]), key
    assert int(resumed.backbone_m.steps) == 1
    # As init_cfg: the checkpoint's `steps` decides, no copy either.
    reloaded = build(path)
    reloaded.init_weights()
    assert not reloaded.backbone_m.loaded
    data = loss_data(model)
    for m in (resumed, reloaded):
        online = m.vision_neck.weight.detach().clone()
        m.loss(**data)
        torch.testing.assert_close(
            m.vision_neck_m.module.weight,
            0.995 * trained['vision_neck_m.module.weight'] + 0.005 * online)

    # Saved before any update: its momentum weights are no momentum
    # weights yet (here zeros), the first update copies over them.
    untrained = build().state_dict()
    untrained['vision_neck_m.module.weight'].zero_()
    torch.save(dict(state_dict=untrained), path)
    model = build(path)
    model.init_weights()
    assert not model.vision_neck_m.module.weight.any()
    model.loss(**loss_data(model))
    assert torch.equal(model.vision_neck_m.module.weight,
                       model.vision_neck.weight)


def test_dual_attention_momentum_temporal_attention(registered, tmp_path):
    """A new module's load hook fills its momentum tensors from the
    momentum checkpoint: dual attention's temporal attention starts as the
    checkpoint's momentum spatial attention, and counts as loaded."""
    from mmvidlm.registry import MODELS
    state = blip_retrieval_state()
    cfg = tiny_retriever_cfg(**RECIPE)
    cfg['backbone'] = dict(
        cfg['backbone'],
        layer_cfgs=dict(type='DualAttentionLayer', num_frames=4))
    model = MODELS.build(cfg).train()
    missing, _ = load_pretrained(model, save(tmp_path, state), logger=None)
    assert all(k.endswith('_m.steps') for k in missing)
    qkv_m = state['visual_encoder_m.blocks.0.attn.qkv.weight']
    layer_m = model.backbone_m.module.layers[0]
    assert torch.equal(layer_m.temporal_attn.qkv.weight, qkv_m)
    assert 'layers.0.temporal_attn.qkv.weight' in model.backbone_m.loaded
    online = model.backbone.layers[0].temporal_attn.qkv.weight.detach().clone()
    assert torch.equal(online,
                       state['visual_encoder.blocks.0.attn.qkv.weight'])
    model.loss(**loss_data(model))
    torch.testing.assert_close(layer_m.temporal_attn.qkv.weight,
                               0.995 * qkv_m + 0.005 * online)
