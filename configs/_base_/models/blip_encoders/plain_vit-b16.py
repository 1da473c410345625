# No temporal modelling (frames independent); the last layer is fine-tuned,
# as in Token Mixing's partial fine-tuning (Table 3, PF without TM).
# The encoder's linear projection (`lp`: patch and position embeddings,
# [CLS], final norm) trains too, as the Token Mixing reference trains it
# with every method but BitFit; it is not counted in UP.
_base_ = ['../blip_vit-b16.py']
model = dict(backbone=dict(trainable=['layers.-1', 'lp']))
