# Token Mixing (F): configs/tokenmix/blip-b_msrvtt-caption.py fully fine-tuned,
# every parameter of the encoder and the captioner trained (Token Mixing
# Tab. 3 and 5, "fully fine-tuned" / "(F)").
_base_ = ['./blip-b_msrvtt-caption.py']
model = dict(backbone=dict(trainable=None), trainable=None)
