# Token Mixing (F): configs/tokenmix/blip-l_vatex-caption.py fully fine-tuned,
# every parameter of the encoder and the captioner trained (Token Mixing
# Tab. 3 and 5, "fully fine-tuned" / "(F)").
_base_ = ['./blip-l_vatex-caption.py']
model = dict(backbone=dict(trainable=None), trainable=None)
