# A tiny Token Mixing captioner (BLIP architecture) trained from scratch on
# the built-in synthetic videos, on CPU in a few minutes:
#   python tools/train.py configs/demo/tokenmix_blip-tiny_synthetic-caption.py
# (on a shared, loaded machine set OMP_NUM_THREADS=1: with the default two
# threads a step took over 10 s there, with one thread 0.3-0.5 s).
# No download (see the tiny base). Everything is trained: with no pre-trained BLIP the
# paper's partial fine-tuning (token-mixing layer + LP + LH, the real
# configs) would leave a random encoder and decoder, so the demo fine-tunes
# the whole model. Without dropout in the tiny decoder and with a higher
# learning rate and more steps than BLIP's, the captions follow the video
# (colour and shape); with dropout 0.1, lr 1e-3 and 12 epochs the decoder
# learnt the language prior only and wrote one caption for every video.
_base_ = [
    '../_base_/models/blip_tiny_synthetic.py',
    '../_base_/datasets/synthetic_caption.py',
    '../_base_/default_runtime.py'
]
decoder_config = dict(
    _base_.tiny_med_config,
    hidden_dropout_prob=0.0,
    attention_probs_dropout_prob=0.0)
model = dict(
    type='BlipVideoCaptioner',
    backbone=_base_.tiny_video_encoder,
    decoder_head=dict(
        type='mmpretrain.SeqGenerationHead',
        decoder=dict(
            type='mmpretrain.XBertLMHeadDecoder', med_config=decoder_config),
        loss=dict(type='mmpretrain.LabelSmoothLoss', label_smooth_val=0.1)),
    data_preprocessor=_base_.tiny_data_preprocessor,
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
