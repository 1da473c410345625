# BLIP ViT-L/16 video captioner (BLIP's large captioning checkpoint); use
# with a ViT-L encoder base (blip_vit-l16.py).
_base_ = ['./blip_caption.py']
blip_caption_checkpoint = ('https://storage.googleapis.com/'
                           'sfr-vision-language-research/BLIP/models/'
                           'model_large_caption.pth')
blip_caption_model = dict(
    decoder_head=dict(decoder=dict(med_config=dict(encoder_width=1024))),
    init_cfg=dict(checkpoint=blip_caption_checkpoint))
