# Fine-tuning BLIP ViT-L/16's captioner (BLIP's large captioning
# checkpoint) on videos; see blip-b_caption.py. Use with a ViT-L encoder
# base (models/blip_encoders/*_vit-l16.py).
_base_ = ['./blip-b_caption.py']
blip_caption_checkpoint = ('https://storage.googleapis.com/'
                           'sfr-vision-language-research/BLIP/models/'
                           'model_large_caption.pth')
blip_caption_model = dict(
    decoder_head=dict(decoder=dict(med_config=dict(encoder_width=1024))),
    init_cfg=dict(checkpoint=blip_caption_checkpoint))
