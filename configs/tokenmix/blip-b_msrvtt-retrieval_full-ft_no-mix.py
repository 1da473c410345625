# Fully fine-tuned BLIP ViT-B/16 without token mixing (every layer a plain
# ViT layer, frames encoded independently), MSR-VTT retrieval: Token Mixing
# Tab. 3, "FF" without TM.
_base_ = ['./blip-b_msrvtt-retrieval_full-ft.py']
model = dict(backbone=dict(layer_cfgs=dict(_delete_=True)))
