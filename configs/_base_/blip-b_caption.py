# Fine-tuning BLIP ViT-B/16's captioner on videos, all but the video encoder
# and the data: the frames' tokens feed BLIP's text decoder through the
# visual projection; BLIP's fine-tuning schedule; the runtime. An experiment
# config inherits an encoder base (models/blip_encoders/*.py: model.backbone
# and what the encoder trains), this file and a caption data set base, and
# assembles (MMEngine refuses two bases that both set `model`):
#     model = _base_.blip_caption_model
# Outside the encoder the visual projection (LP) and the language head (LH;
# BertOnlyMLMHead, its output matrix is tied to the word embeddings, which
# stay frozen) are trained: the model's `trainable`.
_base_ = [
    './models/blip_text_bert-base.py', './schedules/adamw_blip-video_5e.py',
    './default_runtime.py'
]
blip_caption_checkpoint = ('https://storage.googleapis.com/'
                           'sfr-vision-language-research/BLIP/models/'
                           'model_base_caption_capfilt_large.pth')
blip_caption_model = dict(
    type='BlipVideoCaptioner',
    decoder_head=dict(
        type='mmpretrain.SeqGenerationHead',
        decoder=dict(type='mmpretrain.XBertLMHeadDecoder',
                     med_config=_base_.blip_med_config),
        loss=dict(type='mmpretrain.LabelSmoothLoss', label_smooth_val=0.1)),
    data_preprocessor=dict(
        type='VideoTextDataPreprocessor',
        tokenizer=dict(type='BlipTokenizer', name_or_path='bert-base-uncased'),
        max_txt_len=40),
    prompt='a picture of ',
    generation_cfg=dict(
        num_beams=3, max_length=20, min_length=5, repetition_penalty=1.0),
    trainable=['lp', 'lh'],
    init_cfg=dict(type='Pretrained', checkpoint=blip_caption_checkpoint))
