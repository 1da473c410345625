# Module ablation (Table 4, row 4): token mixing in the last layer, but only
# the encoder's linear projection (LP) and the language head (LH) are
# trained; the encoder's layers are frozen. MSVD captioning.
_base_ = ['./blip-b_msvd-caption.py']
model = dict(backbone=dict(trainable=['lp']))
