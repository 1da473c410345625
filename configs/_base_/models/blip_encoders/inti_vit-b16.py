# InTI without token mixing (the ablation of inti_tokenmix_vit-b16.py):
# BLIP's ViT-B/16 compressed by InTI after blocks 5 and 9, every layer a
# plain image layer. Trained in the encoder: the InTI modules and the last
# layer, as in Token Mixing's partial fine-tuning (plain_vit-b16.py).
_base_ = ['./inti_tokenmix_vit-b16.py']
model = dict(
    backbone=dict(
        layer_cfgs=dict(_delete_=True),
        trainable=['between_blocks', 'layers.-1']))
