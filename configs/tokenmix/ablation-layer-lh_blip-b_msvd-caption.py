# Module ablation (Table 4, row 3): the token-mixing layer and the language
# head (LH) are trained, not the linear projection. MSVD captioning.
_base_ = ['./blip-b_msvd-caption.py']
model = dict(trainable=['lh'])
