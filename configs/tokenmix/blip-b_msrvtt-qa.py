# Token Mixing, BLIP ViT-B/16, MSRVTT-QA: the recipe of the Token Mixing
# reference (configs/videoqa_msrvtt.yaml, train_video_vqa.py): BLIP's VQA
# model, 8 frames at 224x224, token mixing in the last layer, AdamW lr 2e-5
# (weight decay 0.05), cosine to 0 over 10 epochs, 16 clips per GPU for
# training and 64 for testing, answers ranked among the 4000 of the answer
# list (k_test 128). The reference trains every parameter for QA (no
# freezing in train_video_vqa.py), so this config does too.
_base_ = [
    '../_base_/models/blip_encoders/tokenmix_vit-b16.py',
    '../_base_/models/blip_vqa.py',
    '../_base_/datasets/msrvtt_qa.py',
    '../_base_/schedules/adamw_blip-video_5e.py',
    '../_base_/default_runtime.py'
]
model = dict(_base_.blip_vqa_model, answer_list=_base_.qa_answer_list)
optim_wrapper = dict(
    _delete_=True,
    optimizer=dict(type='AdamW', lr=2e-5, weight_decay=0.05),
    clip_grad=dict(max_norm=5, norm_type=2))
train_cfg = dict(max_epochs=10, val_interval=10)
param_scheduler = [
    dict(type='CosineAnnealingLR', by_epoch=True, begin=0, end=10, T_max=10,
         eta_min=0)
]
