# Module ablation (Table 4, row 5): of the token-mixing layer only the
# attention (qkv, proj: 2.36M for ViT-B/16) is trained, with the encoder's
# linear projection (LP) and the language head (LH). MSVD captioning.
_base_ = ['./blip-b_msvd-caption.py']
model = dict(backbone=dict(trainable=['TokenMixLayer.attn', 'lp']))
