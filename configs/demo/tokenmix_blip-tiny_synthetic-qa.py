# A tiny Token Mixing video question answering model (BLIP architecture)
# trained from scratch on the built-in synthetic videos, on CPU:
#   python tools/train.py configs/demo/tokenmix_blip-tiny_synthetic-qa.py
# It answers questions about colour, shape and direction; the accuracy on
# the direction questions (`qa/accuracy_direction`) is the part that needs
# the order of the frames (50 % for a frame-order-invariant model).
# No download (see the tiny base). Everything is trained, and the text
# transformers have no dropout, as in the caption demo. One run of the
# command above (OMP_NUM_THREADS=1, 6 min on a loaded 2-core CPU) ended with
# qa/accuracy 64.8: color 85.4, shape 58.3, direction 43.8 (chance: the tiny
# encoder, token mixing in its last layer only, did not learn the order of
# the frames in 30 epochs); with lr 3e-3: 57.0 (81.3, 37.5, 50.0).
_base_ = [
    '../_base_/models/blip_tiny.py', '../_base_/datasets/synthetic_qa.py',
    '../_base_/schedules/adamw_blip-tiny_synthetic.py',
    '../_base_/default_runtime.py'
]
text_config = dict(
    _base_.tiny_med_config,
    hidden_dropout_prob=0.0,
    attention_probs_dropout_prob=0.0)
model = dict(
    type='BlipVideoQA',
    backbone=_base_.tiny_video_encoder,
    multimodal_backbone=dict(
        type='mmpretrain.XBertEncoder', med_config=text_config),
    head=dict(
        type='mmpretrain.VQAGenerationHead',
        decoder=dict(
            type='mmpretrain.XBertLMHeadDecoder', med_config=text_config)),
    data_preprocessor=_base_.tiny_data_preprocessor,
    answer_list=_base_.qa_answer_list,
    inference_method='rank')

default_hooks = dict(
    logger=dict(interval=24), checkpoint=dict(interval=30, save_best=None))
