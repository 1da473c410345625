# Dual-channel attention in every layer; the temporal MHA, alpha and the
# head are trained.
# A narrow 12-layer ViT on the built-in synthetic motion videos (CPU):
#   python tools/train.py configs/peft/dual-attention_vit-tiny_synthetic-motion.py
_base_ = [
    '../_base_/models/blip_encoders/dual_attention_vit-b16.py',
    '../_base_/peft_synthetic-motion.py'
]
model = _base_.recognizer
