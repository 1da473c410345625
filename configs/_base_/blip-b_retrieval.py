# Fine-tuning BLIP ViT-B/16's retriever on videos, all but the video encoder
# and the data, as the Token Mixing reference trains and tests it
# (docs/reproduction.md, 1.4): ITC with momentum encoders, a feature queue
# and soft targets (alpha, ramped up over the first epoch) plus ITM with
# hard negatives; tested by ITC, then the 128 best candidates of every query
# re-ranked by ITM (k_test). BLIP's fine-tuning schedule, 6 epochs; the
# runtime. An experiment config inherits an encoder base
# (models/blip_encoders/*.py), this file and a retrieval data set base, and
# assembles:
#     model = _base_.blip_retrieval_model
# Trained outside the encoder (the model's `trainable`, as the reference's
# train_video_retrieval.py:266-277): the visual projection (`lp`; BLIP's
# vision_proj, MMPretrain's vision_neck), the text projection (`lh`), the
# temperature (`itc`), the ITM head (`itm`) and the whole text encoder.
# ITC-only ranking at test time:
#     --cfg-options model.itm_topk=0
# ITC-only training (no momentum encoders, queue, nor ITM):
#     --cfg-options model.momentum=None model.queue_size=0 model.alpha=0 \
#         model.itm_loss_weight=0 custom_hooks=[]
_base_ = [
    './models/blip_text_bert-base.py', './schedules/adamw_blip-video_5e.py',
    './default_runtime.py'
]
blip_retrieval_checkpoint = ('https://storage.googleapis.com/'
                             'sfr-vision-language-research/BLIP/models/'
                             'model_base_retrieval_coco.pth')
blip_retrieval_model = dict(
    type='BlipVideoRetriever',
    text_backbone=dict(
        type='mmpretrain.XBertEncoder', med_config=_base_.blip_med_config),
    vision_neck=dict(
        type='mmpretrain.Linear', in_features=768, out_features=256),
    text_neck=dict(
        type='mmpretrain.Linear', in_features=768, out_features=256),
    multimodal_head=dict(
        type='mmpretrain.ITMHead',
        hidden_size=768,
        with_pooler=False,
        loss=dict(type='mmpretrain.CrossEntropyLoss')),
    data_preprocessor=dict(
        type='VideoTextDataPreprocessor',
        tokenizer=dict(type='BlipTokenizer', name_or_path='bert-base-uncased'),
        max_txt_len=35,
        padding='max_length'),
    temperature=0.07,
    itm_topk=128,  # k_test, retrieval_*.yaml:29
    momentum=0.995,  # blip_video_retrieval.py:24
    queue_size=57600,  # retrieval_*.yaml:27
    alpha=0.4,  # retrieval_*.yaml:28
    itm_loss_weight=1.,  # train_video_retrieval.py:46
    negative_all_rank=True,  # retrieval_*.yaml:30
    trainable=['lp', 'lh', 'itc', 'itm', 'text_backbone'],
    init_cfg=dict(type='Pretrained', checkpoint=blip_retrieval_checkpoint))
# alpha * min(1, iter / iters_per_epoch) in the first epoch
# (train_video_retrieval.py:40-43).
custom_hooks = [
    dict(
        type='mmpretrain.WarmupParamHook',
        param_name='alpha',
        module_name='queue',
        warmup_epochs=1)
]
# 6 epochs (retrieval_*.yaml:37), cosine decay to 0 over them.
train_cfg = dict(max_epochs=6)
param_scheduler = [
    dict(
        type='CosineAnnealingLR',
        by_epoch=True,
        begin=0,
        end=6,
        T_max=6,
        eta_min=0)
]
