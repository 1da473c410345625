# Module ablation (Table 4, row 3): the token-mixing layer and the language
# head (LH) are trained, not the encoder's linear projection (LP: patch and
# position embeddings, [CLS], final norm). MSVD captioning.
_base_ = ['./blip-b_msvd-caption.py']
model = dict(backbone=dict(trainable=['TokenMixLayer']))
