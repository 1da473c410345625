# Module ablation (Table 4, row 5): of the token-mixing layer only the
# attention (qkv, proj: 2.36M for ViT-B/16) is trained, with LP and LH.
# MSVD captioning.
_base_ = ['./blip-b_msvd-caption.py']
optim_wrapper = dict(
    paramwise_cfg=dict(
        trainable=dict(visual=[r'backbone\.layers\.11\.attn\.'])))
