# Module ablation (Table 4, row 2): the token-mixing layer and the encoder's
# linear projection (LP) are trained, not the language head (LH: the
# decoder's embeddings with the tied LM matrix, the LM head). MSVD captioning.
_base_ = ['./blip-b_msvd-caption.py']
model = dict(trainable=[])
