# BLIP ViT-B/16 video question answering, all but the video encoder: the
# frames' tokens feed BLIP's question encoder, whose states feed the answer
# decoder; answers are ranked in the answer list (the reference's
# `inference: 'rank'`, `k_test: 128`). Initialised from BLIP's VQA model,
# as the Token Mixing reference (configs/videoqa_msrvtt.yaml). An
# experiment config inherits an encoder base (blip_encoders/*.py, which sets
# model.backbone) next to this file and sets `model = _base_.blip_vqa_model`
# with its data set's `answer_list`.
_base_ = ['./blip_text_bert-base.py']
blip_vqa_checkpoint = ('https://storage.googleapis.com/'
                       'sfr-vision-language-research/BLIP/models/'
                       'model_base_vqa_capfilt_large.pth')
blip_vqa_model = dict(
    type='BlipVideoQA',
    multimodal_backbone=dict(
        type='mmpretrain.XBertEncoder', med_config=_base_.blip_med_config),
    head=dict(
        type='mmpretrain.VQAGenerationHead',
        decoder=dict(
            type='mmpretrain.XBertLMHeadDecoder',
            med_config=_base_.blip_med_config)),
    data_preprocessor=dict(
        type='VideoTextDataPreprocessor',
        tokenizer=dict(type='BlipTokenizer', name_or_path='bert-base-uncased'),
        max_txt_len=35),
    inference_method='rank',
    num_ans_candidates=128,
    init_cfg=dict(type='Pretrained', checkpoint=blip_vqa_checkpoint))
