# Fine-tuning BLIP ViT-L/16's retriever (BLIP's large COCO retrieval
# checkpoint) on videos; see blip-b_retrieval.py. Use with a ViT-L encoder
# base (models/blip_encoders/*_vit-l16.py).
_base_ = ['./blip-b_retrieval.py']
blip_retrieval_checkpoint = ('https://storage.googleapis.com/'
                             'sfr-vision-language-research/BLIP/models/'
                             'model_large_retrieval_coco.pth')
blip_retrieval_model = dict(
    text_backbone=dict(med_config=dict(encoder_width=1024)),
    vision_neck=dict(in_features=1024),
    init_cfg=dict(checkpoint=blip_retrieval_checkpoint))
