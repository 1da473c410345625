# Token Mixing (F): configs/tokenmix/blip-b_msrvtt-retrieval.py fully
# fine-tuned, every parameter of the encoder and the retriever trained (the
# momentum copies follow by EMA) (Token Mixing Tab. 3 and 6, "fully
# fine-tuned" / "(F)").
_base_ = ['./blip-b_msrvtt-retrieval.py']
model = dict(backbone=dict(trainable=None), trainable=None)
