# InTI, ViT-B/16, InTI after blocks 5 and 9, UCF101 split 1
# (ECCV 2024, Appendix A), Kinetics-400 recipe.
_base_ = ['./vit-b_k400.py', '../_base_/datasets/ucf101_16x224_split1.py']
num_classes = 101
model = dict(
    cls_head=dict(num_classes=num_classes),
    data_preprocessor=dict(
        blending=dict(augments=[
            dict(type='MixupBlending', alpha=0.8, num_classes=num_classes),
            dict(type='CutmixBlending', alpha=1., num_classes=num_classes)
        ])))
