# Copyright (c) mmvidlm authors. All rights reserved.
"""The Token Mixing recipes of configs/tokenmix (issue 12, items 1-3, 7), as
the reference code trains and tests them (docs/reproduction.md, 1.1-1.4):
what each config family trains, the retrieval losses and the caption
generation and schedule settings."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from tests.conftest import REPO_ROOT
from .conftest import batch
from .test_task_configs import shrink

TM = osp.join(REPO_ROOT, 'configs', 'tokenmix')
#: The encoder's linear projection (LP) as the reference trains it: what
#: lies outside the ViT blocks (BLIP's ViT has no norm before them).
LP = {
    'patch_embed.projection.weight', 'patch_embed.projection.bias',
    'cls_token', 'pos_embed', 'ln1.weight', 'ln1.bias'
}
#: The captioner's language head (LH): the decoder's embeddings (the word
#: embeddings are the LM head's tied output matrix) and the LM head.
LH = {
    f'seq_gen_head.decoder.{name}'
    for name in ('bert.embeddings.word_embeddings.weight',
                 'bert.embeddings.position_embeddings.weight',
                 'bert.embeddings.LayerNorm.weight',
                 'bert.embeddings.LayerNorm.bias', 'cls.predictions.bias',
                 'cls.predictions.transform.dense.weight',
                 'cls.predictions.transform.dense.bias',
                 'cls.predictions.transform.LayerNorm.weight',
                 'cls.predictions.transform.LayerNorm.bias')
}


def build(config: str):
    """The config's model at a tiny width (names and layer count kept)."""
    from mmvidlm.registry import MODELS
    cfg = Config.fromfile(osp.join(TM, config))
    torch.manual_seed(0)
    return MODELS.build(shrink(cfg.model.to_dict()))


def trained(module) -> set:
    return {n for n, p in module.named_parameters() if p.requires_grad}


def layer(index: int, backbone) -> set:
    return {
        n
        for n, _ in backbone.named_parameters()
        if n.startswith(f'layers.{index}.')
    }


# (config, the encoder's groups, the model's groups); the encoder's
# 'TokenMixLayer' / 'TokenMixLayer.attn' / '.ffn' are checked by names.
FAMILIES = [
    ('blip-b_msvd-caption.py', {'TokenMixLayer', 'lp'}, {'lh'}),
    ('blip-b_msrvtt-caption.py', {'TokenMixLayer', 'lp'}, {'lh'}),
    ('tokenmix-layer3_blip-b_msvd-caption.py', {'TokenMixLayer',
                                                'lp'}, {'lh'}),
    # Table 4: LP / LH / ATTN / FFN.
    ('ablation-layer_blip-b_msvd-caption.py', {'TokenMixLayer'}, set()),
    ('ablation-layer-lp_blip-b_msvd-caption.py', {'TokenMixLayer',
                                                  'lp'}, set()),
    ('ablation-layer-lh_blip-b_msvd-caption.py', {'TokenMixLayer'}, {'lh'}),
    ('ablation-lp-lh_blip-b_msvd-caption.py', {'lp'}, {'lh'}),
    ('ablation-attn-lp-lh_blip-b_msvd-caption.py',
     {'TokenMixLayer.attn', 'lp'}, {'lh'}),
    ('ablation-ffn-lp-lh_blip-b_msvd-caption.py', {'TokenMixLayer.ffn',
                                                   'lp'}, {'lh'}),
    ('blip-b_msrvtt-retrieval.py', {'TokenMixLayer', 'lp'},
     {'lp', 'lh', 'itc', 'itm', 'text_backbone'}),
]


@pytest.mark.parametrize(
    'config,encoder_groups,model_groups',
    FAMILIES,
    ids=[f[0][:-3] for f in FAMILIES])
def test_trainable_groups(config, encoder_groups, model_groups, registered):
    model = build(config)
    backbone = model.backbone
    groups = backbone.trainable_groups
    assert set(groups) == encoder_groups
    mixing = 3 if 'layer3' in config else 11
    expected = set()
    if 'lp' in groups:
        assert set(groups['lp']) == LP
        expected |= LP
    if 'TokenMixLayer' in groups:
        assert set(groups['TokenMixLayer']) == layer(mixing, backbone)
        expected |= layer(mixing, backbone)
    for part in ('attn', 'ffn'):
        if f'TokenMixLayer.{part}' in groups:
            names = {
                f'layers.11.{part}.{n}'
                for n, _ in getattr(backbone.layers[11],
                                    part).named_parameters()
            }
            assert set(groups[f'TokenMixLayer.{part}']) == names
            expected |= names
    assert trained(backbone) == expected  # every other layer frozen
    assert set(model.trainable_groups) == model_groups
    outside = {n for n in trained(model) if not n.startswith('backbone.')}
    if model.__class__.__name__ == 'BlipVideoCaptioner':
        # No projection between encoder and decoder, as BLIP.
        assert not any(
            n.startswith('vision_proj') for n, _ in model.named_parameters())
        assert outside == (LH if 'lh' in model_groups else set())
        return
    # Retrieval, as the reference: the whole text encoder, both
    # projections, the temperature and the ITM head; no momentum copy.
    expected = {
        n
        for n, _ in model.named_parameters()
        if n.split('.')[0] in ('text_backbone', 'vision_neck', 'text_neck',
                               'multimodal_head', 'temp')
    }
    assert outside == expected
    assert any(
        n.startswith('backbone_m.') for n, _ in model.named_parameters())
    assert not any('_m.' in n for n in trained(model))


@pytest.mark.parametrize('config', [
    'blip-b_msvd-caption_full-ft.py', 'blip-b_msvd-caption_full-ft_no-mix.py',
    'blip-b_msrvtt-retrieval_full-ft.py',
    'blip-b_msrvtt-retrieval_full-ft_no-mix.py'
])
def test_full_fine_tuning(config, registered):
    model = build(config)
    params = dict(model.named_parameters())
    online = {n for n in params if '_m.' not in n}
    assert trained(model) == online
    layer_types = {type(m).__name__ for m in model.backbone.layers}
    if 'no-mix' in config:
        assert 'TokenMixLayer' not in layer_types
    else:
        assert type(model.backbone.layers[-1]).__name__ == 'TokenMixLayer'


def test_full_size_encoder_groups(registered):
    """At full size: the token-mixing layer is the paper's UP (one ViT-B
    block), LP is counted apart from it."""
    from mmvidlm.models.utils import visual_updated_params
    from mmvidlm.registry import MODELS
    cfg = Config.fromfile(osp.join(TM, 'blip-b_msvd-caption.py'))
    backbone = MODELS.build(cfg.model.backbone)
    params = dict(backbone.named_parameters())

    def count(group):
        return sum(params[n].numel() for n in backbone.trainable_groups[group])

    assert count('TokenMixLayer') == 7087872
    # 16 * 16 * 3 * 768 + 768, 197 * 768, 768, 2 * 768
    assert count('lp') == 590592 + 151296 + 768 + 1536
    assert visual_updated_params(backbone) == 7087872


@pytest.mark.parametrize('config', [
    'blip-b_msrvtt-retrieval.py', 'blip-b_lsmdc-retrieval.py',
    'blip-l_msrvtt-retrieval.py', 'blip-l_lsmdc-retrieval.py'
])
def test_retrieval_recipe_settings(config):
    cfg = Config.fromfile(osp.join(TM, config))
    model = cfg.model
    assert (model.momentum, model.queue_size, model.alpha,
            model.itm_loss_weight, model.negative_all_rank,
            model.itm_topk) == (0.995, 57600, 0.4, 1., True, 128)
    assert cfg.custom_hooks == [
        dict(
            type='mmpretrain.WarmupParamHook',
            param_name='alpha',
            module_name='queue',
            warmup_epochs=1)
    ]
    assert cfg.train_cfg.max_epochs == 6
    assert cfg.param_scheduler[0].T_max == cfg.param_scheduler[0].end == 6
    assert cfg.train_dataloader.batch_size == 8
    assert cfg.test_dataloader.batch_size == 16
    assert 'clip_grad' not in cfg.optim_wrapper
    assert cfg.test_cfg.type == 'RetrievalTestLoop'  # gathers the tokens
    # The ITC-only test variant.
    itc = Config.fromfile(osp.join(TM, 'blip-b_msrvtt-retrieval_itc-rank.py'))
    assert itc.model.itm_topk == 0 and itc.model.itm_loss_weight == 1.


def test_retrieval_loss_is_itc_plus_itm(registered):
    model = build('blip-b_msrvtt-retrieval.py').train()
    assert model.queue.video_queue.shape[1] == 57600
    data = model.data_preprocessor(
        batch(['a red circle', 'a red ball', 'a bar', 'a square'],
              video_idx=[0, 0, 1, 2]),
        training=True)
    losses = model(**data, mode='loss')
    assert set(losses) == {'itc_loss', 'itm_loss'}
    assert all(torch.isfinite(v) and v > 0 for v in losses.values())
    sum(losses.values()).backward()
    for name, param in model.multimodal_head.named_parameters():
        assert param.grad is not None and param.grad.abs().sum() > 0, name
    text_layer = next(p for n, p in model.text_backbone.named_parameters()
                      if 'crossattention' in n and n.endswith('weight'))
    assert text_layer.grad is not None and text_layer.grad.abs().sum() > 0


CAPTION = {
    # data set: (beams, epochs); caption_<data set>.yaml:30, 36 (vatex 34,
    # 40)
    'msrvtt': (5, 5),
    'msvd': (3, 6),
    'vatex': (5, 5),
}


@pytest.mark.parametrize('size', ['b', 'l'])
@pytest.mark.parametrize('dataset', sorted(CAPTION))
def test_caption_recipe_settings(size, dataset):
    cfg = Config.fromfile(osp.join(TM, f'blip-{size}_{dataset}-caption.py'))
    beams, epochs = CAPTION[dataset]
    assert cfg.model.prompt == ''
    # The reference's max_length 32 / min_length 5 count [DEC]; ours don't.
    assert cfg.model.generation_cfg == dict(
        num_beams=beams, max_length=31, min_length=4, repetition_penalty=1.)
    assert cfg.train_cfg.max_epochs == epochs
    assert cfg.param_scheduler[0].T_max == cfg.param_scheduler[0].end \
        == epochs
    assert cfg.optim_wrapper.optimizer == dict(
        type='AdamW', lr=1e-5, weight_decay=0.05)
    assert 'clip_grad' not in cfg.optim_wrapper
    assert cfg.model.backbone.num_frames == 8
    # ViT-B 16 clips per GPU; ViT-L VATEX 8 (caption_vatex.yaml:25).
    batch_size = 8 if (size, dataset) == ('l', 'vatex') else 16
    assert cfg.train_dataloader.batch_size == batch_size


def test_caption_generation_counts_as_the_reference(registered):
    """The decoder starts from [DEC] alone (empty prompt) and Hugging Face's
    generate gets the reference's own max_length 32 / min_length 5, which
    count that start token."""
    model = build('blip-b_msvd-caption.py').eval()
    calls = []

    def predict(input_ids, **kwargs):
        calls.append(dict(input_ids=input_ids, **kwargs))
        return input_ids.new_zeros(len(input_ids), 3)

    model.seq_gen_head.predict = predict
    model(**model.data_preprocessor(batch([None, None])), mode='predict')
    (call, ) = calls
    assert call['input_ids'].tolist() == [[model.tokenizer.bos_token_id]] * 2
    assert (call['max_length'], call['min_length'],
            call['num_beams']) == (32, 5, 3)


def test_captioner_projects_only_between_different_widths(registered):
    """BLIP's pairs share the width: no projection. An encoder of another
    width gets a (new, trainable) linear projection to the decoder's."""
    from mmvidlm.registry import MODELS
    from .conftest import TINY_BACKBONE, tiny_captioner_cfg
    same = MODELS.build(tiny_captioner_cfg())
    assert isinstance(same.vision_proj, torch.nn.Identity)
    wide = dict(
        TINY_BACKBONE,
        arch=dict(
            embed_dims=96, num_layers=2, num_heads=4,
            feedforward_channels=128))
    model = MODELS.build(
        tiny_captioner_cfg(backbone=wide, trainable=['vision_proj']))
    assert (model.vision_proj.in_features,
            model.vision_proj.out_features) == (96, 64)
    assert trained(model) - {
        n
        for n, _ in model.named_parameters() if n.startswith('backbone.')
    } == {'vision_proj.weight', 'vision_proj.bias'}
    tokens = model(torch.randn(2, 3, 4, 32, 32), mode='tensor')
    assert tokens.shape[-1] == 64
