# Naive adaptation of CLIP ViT-L/14: frames independently, mean of [CLS].
_base_ = ['./naive_vit-b16.py']
clip_checkpoint = (
    'https://openaipublic.azureedge.net/clip/models/'
    'b8cca3fd41ae0c99ba7e8951adf17d267cdb84cd88be6f7c2e0eca1737a03836/'
    'ViT-L-14.pt')
model = dict(
    backbone=dict(arch='l', patch_size=14), cls_head=dict(in_channels=1024))
