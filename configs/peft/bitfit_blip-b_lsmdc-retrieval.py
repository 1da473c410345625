# PEFT benchmark: BitFit (every bias of the model, as the Token Mixing
# reference trains it: train_video_caption.py:137-142),
# BLIP ViT-B/16, LSMDC text-video retrieval; nothing else is trained.
_base_ = [
    '../_base_/models/blip_encoders/bitfit_vit-b16.py',
    '../_base_/blip-b_retrieval.py', '../_base_/datasets/lsmdc_retrieval.py'
]
model = dict(_base_.blip_retrieval_model, trainable=['bias'])
