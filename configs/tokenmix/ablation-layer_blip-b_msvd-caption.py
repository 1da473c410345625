# Module ablation (Table 4, row 1): only the token-mixing layer is trained,
# not the linear projection (LP) nor the language head (LH). MSVD captioning.
_base_ = ['./blip-b_msvd-caption.py']
model = dict(trainable=[])
