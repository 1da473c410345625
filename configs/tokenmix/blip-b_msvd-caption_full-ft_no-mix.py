# Fully fine-tuned BLIP ViT-B/16 without token mixing (every layer a plain
# ViT layer, frames encoded independently), MSVD captioning: Token Mixing
# Tab. 3, "FF" without TM.
_base_ = ['./blip-b_msvd-caption_full-ft.py']
model = dict(backbone=dict(layer_cfgs=dict(_delete_=True)))
