# Video question answering with BLIP ViT-B/16's VQA model, all but the video
# encoder and the data: the frames' tokens feed BLIP's question encoder,
# whose states feed the answer decoder; answers are ranked in the data set's
# answer list (`inference: 'rank'`, `k_test: 128`); the Token Mixing
# reference's QA schedule (configs/videoqa_msrvtt.yaml: AdamW lr 2e-5,
# weight decay 0.05, cosine to 0 over 10 epochs); the runtime. Initialised
# from BLIP's VQA model, as the reference. An experiment config inherits an
# encoder base (models/blip_encoders/*.py), this file and a QA data set base
# (which names `qa_answer_list`), and assembles:
#     model = dict(_base_.blip_qa_model, answer_list=_base_.qa_answer_list)
# The reference trains every parameter for QA (train_video_vqa.py has no
# freezing): the model's `trainable` is None, and so is the encoder's,
# whatever the encoder base says.
_base_ = [
    './models/blip_text_bert-base.py', './schedules/adamw_blip-video_5e.py',
    './default_runtime.py'
]
blip_qa_checkpoint = ('https://storage.googleapis.com/'
                      'sfr-vision-language-research/BLIP/models/'
                      'model_base_vqa_capfilt_large.pth')
blip_qa_model = dict(
    type='BlipVideoQA',
    backbone=dict(trainable=None),
    multimodal_backbone=dict(
        type='mmpretrain.XBertEncoder', med_config=_base_.blip_med_config),
    head=dict(
        type='mmpretrain.VQAGenerationHead',
        decoder=dict(
            type='mmpretrain.XBertLMHeadDecoder',
            med_config=_base_.blip_med_config),
        num_beams=3),
    data_preprocessor=dict(
        type='VideoTextDataPreprocessor',
        tokenizer=dict(type='BlipTokenizer', name_or_path='bert-base-uncased'),
        max_txt_len=35),
    inference_method='rank',
    num_ans_candidates=128,
    trainable=None,
    init_cfg=dict(type='Pretrained', checkpoint=blip_qa_checkpoint))
optim_wrapper = dict(optimizer=dict(lr=2e-5))
train_cfg = dict(max_epochs=10, val_interval=10)
param_scheduler = [
    dict(
        type='CosineAnnealingLR',
        by_epoch=True,
        begin=0,
        end=10,
        T_max=10,
        eta_min=0)
]
