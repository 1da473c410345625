# Fine-tuning BLIP ViT-B/16's captioner on videos, all but the video encoder
# and the data: the tokens of all frames feed BLIP's text decoder directly
# (BLIP has no visual projection in its captioner); the Token Mixing
# reference's fine-tuning recipe (docs/reproduction.md, 1.1-1.3); the
# runtime. An experiment config inherits an encoder base
# (models/blip_encoders/*.py: model.backbone and what the encoder trains),
# this file and a caption data set base, and assembles (MMEngine refuses two
# bases that both set `model`):
#     model = _base_.blip_caption_model
# Outside the encoder the language head (LH) is trained, as the reference
# does (train_video_caption.py:124-135): the decoder's embeddings, whose
# word embeddings are the tied LM output matrix, and the LM head; the
# decoder's blocks stay frozen. The encoder's "linear projection" (LP:
# patch and position embeddings, [CLS], final norm) is the encoder's `lp`.
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
        decoder=dict(
            type='mmpretrain.XBertLMHeadDecoder',
            med_config=_base_.blip_med_config),
        loss=dict(type='mmpretrain.LabelSmoothLoss', label_smooth_val=0.1)),
    data_preprocessor=dict(
        type='VideoTextDataPreprocessor',
        tokenizer=dict(type='BlipTokenizer', name_or_path='bert-base-uncased'),
        max_txt_len=40),
    # The reference's caption_{msrvtt,msvd,vatex}.yaml: no prompt; its
    # max_length 32 / min_length 5 count the [DEC] start token, ours count
    # the new tokens ([SEP] included), hence 31 / 4. Beams: 5 for MSR-VTT
    # and VATEX, 3 for MSVD (set in the MSVD configs).
    prompt='',
    generation_cfg=dict(
        num_beams=5, max_length=31, min_length=4, repetition_penalty=1.0),
    trainable=['lh'],
    init_cfg=dict(type='Pretrained', checkpoint=blip_caption_checkpoint))
