# BLIP ViT-L/16 text-video retriever (BLIP's large COCO retrieval
# checkpoint); use with a ViT-L encoder base (blip_vit-l16.py).
_base_ = ['./blip_retrieval.py']
blip_retrieval_checkpoint = ('https://storage.googleapis.com/'
                             'sfr-vision-language-research/BLIP/models/'
                             'model_large_retrieval_coco.pth')
blip_retrieval_model = dict(
    text_backbone=dict(med_config=dict(encoder_width=1024)),
    vision_neck=dict(in_features=1024),
    init_cfg=dict(checkpoint=blip_retrieval_checkpoint))
