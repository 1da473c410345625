# Token Mixing, BLIP ViT-B/16, MSRVTT-QA, with the Token Mixing reference's
# recipe (configs/videoqa_msrvtt.yaml, train_video_vqa.py): BLIP's VQA
# model, 8 frames at 224x224, token mixing in the last layer, 16 clips per
# GPU for training and 64 for testing, answers ranked among the 4000 of the
# answer list (k_test 128), every parameter trained, AdamW lr 2e-5 for 10
# epochs (see the task base).
_base_ = [
    '../_base_/models/blip_encoders/tokenmix_vit-b16.py',
    '../_base_/blip-b_qa.py', '../_base_/datasets/msrvtt_qa.py'
]
model = dict(_base_.blip_qa_model, answer_list=_base_.qa_answer_list)
