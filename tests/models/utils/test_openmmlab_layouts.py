# Copyright (c) mmvidlm authors. All rights reserved.
"""Checkpoints of MMPretrain's and MMAction2's own models load exactly, and
a load that initialises too little of the encoder fails."""
import pytest
import torch
from mmengine.registry import DefaultScope

from mmvidlm.models import VideoViT
from mmvidlm.models.utils import detect_layout, load_pretrained
from ..multimodal.conftest import (TINY_MED_CONFIG, TOKENIZER,
                                   tiny_captioner_cfg, tiny_retriever_cfg)
from .test_checkpoint_convert import BLIP_VIT, CLIP_VIT, TINY, save

#: MMPretrain's ViT with the size of mmvidlm's 'tiny' VideoViT.
MMPRETRAIN_VIT = dict(
    type='mmpretrain.VisionTransformer',
    arch=TINY,
    img_size=32,
    patch_size=8,
    out_type='raw')


def assert_loaded(model_state: dict, upstream_state: dict, pairs: dict):
    """``model_state[k]`` equals ``upstream_state[pairs[k]]`` exactly."""
    for ours, theirs in pairs.items():
        assert torch.equal(model_state[ours], upstream_state[theirs]), ours


def vit_pairs(model_keys, ours: str, theirs: str) -> dict:
    """VideoViT keys under ``ours`` <-> MMPretrain ViT keys under
    ``theirs`` (the same names)."""
    return {
        k: theirs + k[len(ours):]
        for k in model_keys if k.startswith(ours)
    }


@pytest.fixture(scope='module')
def registered():
    from mmvidlm.utils import register_all_modules
    register_all_modules()


def test_mmpretrain_vit_classifier(tmp_path, registered):
    """``backbone.*`` of MMPretrain's ImageClassifier (its ViT and CLIP ViT
    conversions) into a VideoViT."""
    from mmpretrain.registry import MODELS
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        classifier = MODELS.build(
            dict(
                type='ImageClassifier',
                backbone=dict(
                    MMPRETRAIN_VIT,
                    type='VisionTransformer',
                    pre_norm=True,
                    out_type='cls_token'),
                head=dict(
                    type='VisionTransformerClsHead',
                    num_classes=5,
                    in_channels=64),
                data_preprocessor=dict(type='ClsDataPreprocessor')))
    state = classifier.state_dict()
    assert detect_layout(state) == 'mmpretrain_vit'
    model = VideoViT(**CLIP_VIT)
    missing, unexpected = load_pretrained(model, save(tmp_path, state))
    assert missing == []
    assert unexpected == ['head.layers.head.weight', 'head.layers.head.bias']
    assert_loaded(model.state_dict(), state,
                  {k: f'backbone.{k}'
                   for k in model.state_dict()})


def test_mmpretrain_blip_caption(tmp_path, registered):
    """MMPretrain's BlipCaption (``visual_encoder.*``, ``seq_gen_head.*``)
    into mmvidlm's captioner."""
    from mmpretrain.registry import MODELS as MMPRETRAIN_MODELS

    from mmvidlm.models.multimodal.tokenizer import resolve_tokenizer_path
    from mmvidlm.registry import MODELS
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        blip = MMPRETRAIN_MODELS.build(
            dict(
                type='BlipCaption',
                vision_encoder=dict(
                    MMPRETRAIN_VIT,
                    type='VisionTransformer',
                    norm_cfg=dict(type='LN', eps=1e-6)),
                decoder_head=dict(
                    type='SeqGenerationHead',
                    decoder=dict(
                        type='XBertLMHeadDecoder',
                        med_config=TINY_MED_CONFIG)),
                tokenizer=dict(
                    type='BlipTokenizer',
                    name_or_path=resolve_tokenizer_path(
                        TOKENIZER['name_or_path'])),
                data_preprocessor=dict(type='MultiModalDataPreprocessor')))
    state = blip.state_dict()
    assert detect_layout(state) == 'mmpretrain_blip'
    cfg = tiny_captioner_cfg(
        init_cfg=dict(type='Pretrained', checkpoint=save(tmp_path, state)))
    cfg['backbone'] = dict(BLIP_VIT, type='VideoViT')
    captioner = MODELS.build(cfg)
    captioner.init_weights()
    ours = captioner.state_dict()
    pairs = vit_pairs(ours, 'backbone.', 'visual_encoder.')
    pairs.update(
        vit_pairs(ours, 'seq_gen_head.decoder.', 'seq_gen_head.decoder.'))
    assert len(pairs) == len(state)  # every upstream tensor has a place
    assert_loaded(ours, state, pairs)


def test_mmpretrain_blip_retrieval_layout(registered):
    """MMPretrain's BlipRetrieval names go where mmvidlm's retriever keeps
    them (the same names, but ``vision_backbone`` -> ``backbone``)."""
    from mmvidlm.models.utils import convert_state_dict
    from mmvidlm.models.utils.pretrained import place_components
    from mmvidlm.registry import MODELS
    retriever = MODELS.build(tiny_retriever_cfg())
    ours = retriever.state_dict()
    upstream_to_ours = {
        'vision_backbone.layers.1.attn.qkv.weight':
        'backbone.layers.1.attn.qkv.weight',
        'text_backbone.embeddings.word_embeddings.weight':
        'text_backbone.embeddings.word_embeddings.weight',
        'vision_neck.weight': 'vision_neck.weight',
        'text_neck.bias': 'text_neck.bias',
        'multimodal_head.fc.weight': 'multimodal_head.fc.weight',
        'temp': 'temp',
    }
    state = {
        k: torch.randn(ours[v].shape)
        for k, v in upstream_to_ours.items()
    }
    converted, layout = convert_state_dict(state)
    assert layout == 'mmpretrain_blip'
    placed = place_components(converted, retriever)
    assert set(placed) == set(upstream_to_ours.values())
    for k, v in upstream_to_ours.items():
        assert torch.equal(placed[v], state[k])


def test_mmaction_uniformerv2(tmp_path, registered):
    """MMAction2's UniFormerV2 recogniser (``backbone.conv1``,
    ``backbone.transformer.resblocks.*``): its CLIP ViT loads exactly."""
    from mmaction.registry import MODELS
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmaction'):
        recognizer = MODELS.build(
            dict(
                type='Recognizer3D',
                backbone=dict(
                    type='UniFormerV2',
                    input_resolution=32,
                    patch_size=8,
                    width=64,
                    layers=2,
                    heads=4,
                    t_size=2,
                    return_list=[0, 1],
                    n_layers=2,
                    n_dim=64,
                    n_head=4,
                    no_lmhra=False,
                    clip_pretrained=False),
                cls_head=dict(
                    type='UniFormerHead', num_classes=5, in_channels=64)))
    state = recognizer.state_dict()
    assert detect_layout(state) == 'mmaction_uniformerv2'
    model = VideoViT(**CLIP_VIT)
    missing, unexpected = load_pretrained(model, save(tmp_path, state))
    assert missing == ['ln1.weight', 'ln1.bias']  # UniFormerV2 has no ln_post
    # Its temporal modules are reported, not dropped.
    assert any('lmhra1' in k for k in unexpected)
    assert any('transformer.dec.' in k for k in unexpected)
    ours, up = model.state_dict(), state
    assert torch.equal(ours['patch_embed.projection.weight'],
                       up['backbone.conv1.weight'][:, :, 0])
    assert torch.equal(ours['cls_token'].flatten(),
                       up['backbone.class_embedding'])
    assert torch.equal(ours['pos_embed'][0],
                       up['backbone.positional_embedding'])
    for i in range(2):
        block = f'backbone.transformer.resblocks.{i}.'
        assert_loaded(
            ours, up, {
                'pre_norm.weight': 'backbone.ln_pre.weight',
                f'layers.{i}.attn.qkv.weight': block + 'attn.in_proj_weight',
                f'layers.{i}.attn.qkv.bias': block + 'attn.in_proj_bias',
                f'layers.{i}.attn.proj.weight': block + 'attn.out_proj.weight',
                f'layers.{i}.ln1.bias': block + 'ln_1.bias',
                f'layers.{i}.ln2.weight': block + 'ln_2.weight',
                f'layers.{i}.ffn.layers.0.0.weight': block + 'mlp.c_fc.weight',
                f'layers.{i}.ffn.layers.1.bias': block + 'mlp.c_proj.bias',
            })


def test_unknown_layout_fails_unless_partial_allowed(tmp_path, registered,
                                                     caplog):
    """A checkpoint whose keys match nothing: an error naming the fix, not
    a random encoder and a warning."""
    from mmvidlm.registry import MODELS
    state = {
        f'encoder.blocks.{i}.attention.qkv.weight': torch.randn(192, 64)
        for i in range(2)
    }
    path = save(tmp_path, state)
    model = MODELS.build(
        dict(
            BLIP_VIT,
            type='VideoViT',
            init_cfg=dict(type='Pretrained', checkpoint=path)))
    with pytest.raises(ValueError, match='allow_partial=True') as info:
        model.init_weights()
    assert 'initialised 0.0% of VideoViT' in str(info.value)
    assert 'encoder.blocks.0.attention.qkv.weight' in str(info.value)

    model = MODELS.build(
        dict(
            BLIP_VIT,
            type='VideoViT',
            init_cfg=dict(
                type='Pretrained', checkpoint=path, allow_partial=True)))
    model.init_weights()  # asked for: only the report


def test_small_fraction_fails(tmp_path, openai_clip):
    """One block of a 4-block CLIP is too little of the encoder."""
    state = {
        k: v
        for k, v in openai_clip.state_dict().items()
        if k.startswith('visual.transformer.resblocks.0.')
    }
    big = VideoViT(**dict(CLIP_VIT, arch=dict(TINY, num_layers=4)))
    with pytest.raises(ValueError, match=r'initialised 2\d\.\d% of'):
        load_pretrained(big, save(tmp_path, state))
    missing, _ = load_pretrained(
        big, save(tmp_path, state), allow_partial=True)
    assert len(missing) > 0


def test_mmpretrain_clip(tmp_path, registered):
    """MMPretrain's CLIP keeps its ViT under ``visual.`` and its projection
    in ``visual_proj.proj``: mmvidlm's converted layout, loaded as is."""
    from mmpretrain.models import VisionTransformer
    torch.manual_seed(0)
    vit = VisionTransformer(
        **{
            k: v
            for k, v in MMPRETRAIN_VIT.items() if k != 'type'
        },
        pre_norm=True)
    state = {f'visual.{k}': v for k, v in vit.state_dict().items()}
    state['visual_proj.proj'] = torch.randn(64, 32)
    model = VideoViT(**CLIP_VIT)
    missing, unexpected = load_pretrained(model, save(tmp_path, state))
    assert missing == [] and unexpected == ['visual_proj.proj']
    assert_loaded(model.state_dict(), state,
                  {k: f'visual.{k}'
                   for k in model.state_dict()})
