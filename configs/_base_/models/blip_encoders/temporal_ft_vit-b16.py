# Temporal fine-tuning: the "ViViT" architecture (4 temporal blocks after the
# spatial ViT, initialised from its first 4 layers as the Token Mixing
# reference does), only the new blocks, their position embedding and norm
# trained.
# The encoder's linear projection (`lp`: patch and position embeddings,
# [CLS], final norm) trains too, as the Token Mixing reference trains it
# with every method but BitFit; it is not counted in UP.
_base_ = ['../blip_vit-b16.py']
model = dict(
    backbone=dict(
        temporal_layers=4,
        temporal_init_layers=[0, 1, 2, 3],
        trainable=['temporal', 'lp']))
