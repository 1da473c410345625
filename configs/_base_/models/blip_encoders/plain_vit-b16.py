# No temporal modelling (frames independent); the last layer is fine-tuned,
# as in Token Mixing's partial fine-tuning (Table 3, PF without TM).
_base_ = ['../blip_vit-b16.py']
model = dict(backbone=dict(trainable=['layers.-1']))
