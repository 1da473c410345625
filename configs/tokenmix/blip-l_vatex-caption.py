# Token Mixing, BLIP ViT-L/16, VATEX captioning: 8 frames at 224x224, token
# mixing in the last (24th) layer; trained: that layer, LP, LH. The
# reference's active VATEX block is this ViT-L one (caption_vatex.yaml:
# 21-26): 8 clips per GPU, lr 1e-5, 5 beams, 5 epochs.
_base_ = [
    '../_base_/models/blip_encoders/tokenmix_vit-l16.py',
    '../_base_/blip-l_caption.py', '../_base_/datasets/vatex_caption.py'
]
model = _base_.blip_caption_model
train_dataloader = dict(batch_size=8)
