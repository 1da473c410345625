# Module ablation (Table 4, row 4): token mixing in the last layer, but only
# the linear projection (LP) and the language head (LH) are trained; the
# encoder is frozen. MSVD captioning.
_base_ = ['./blip-b_msvd-caption.py']
optim_wrapper = dict(
    paramwise_cfg=dict(
        trainable=dict(
            _delete_=True,
            lp=[r'vision_proj\.'],
            lh=[r'seq_gen_head\.decoder\.cls\.'])))
