# Fine-tuning BLIP ViT-B/16's retriever on videos, all but the video encoder
# and the data: mean of the frames' [CLS] tokens vs BLIP's text encoder,
# contrastive (ITC) loss; BLIP's fine-tuning schedule; the runtime. An
# experiment config inherits an encoder base (models/blip_encoders/*.py),
# this file and a retrieval data set base, and assembles:
#     model = _base_.blip_retrieval_model
# Trained outside the encoder (the model's `trainable`): the visual
# projection (LP; BLIP's vision_proj, MMPretrain's vision_neck), the text
# projection and the temperature.
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
    vision_neck=dict(type='mmpretrain.Linear', in_features=768,
                     out_features=256),
    text_neck=dict(type='mmpretrain.Linear', in_features=768,
                   out_features=256),
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
    trainable=['lp', 'lh', 'itc'],
    init_cfg=dict(type='Pretrained', checkpoint=blip_retrieval_checkpoint))
