# Module ablation (Table 4, row 2): the token-mixing layer and the linear
# projection (LP) are trained, not the language head. MSVD captioning.
_base_ = ['./blip-b_msvd-caption.py']
model = dict(trainable=['lp'])
