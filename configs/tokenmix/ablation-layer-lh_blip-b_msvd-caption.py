# Module ablation (Table 4, row 3): the token-mixing layer and the language
# head (LH) are trained, not the linear projection. MSVD captioning.
_base_ = ['./blip-b_msvd-caption.py']
optim_wrapper = dict(
    paramwise_cfg=dict(
        trainable=dict(
            _delete_=True,
            visual=[r'backbone\.layers\.11\.'],
            lh=[r'seq_gen_head\.decoder\.cls\.'])))
