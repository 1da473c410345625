# Module ablation (Table 4, row 1): only the token-mixing layer is trained,
# not the encoder's linear projection (LP) nor the language head (LH). MSVD
# captioning.
_base_ = ['./blip-b_msvd-caption.py']
model = dict(backbone=dict(trainable=['TokenMixLayer']), trainable=[])
