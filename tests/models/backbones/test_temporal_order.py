# Copyright (c) mmvidlm authors. All rights reserved.
"""Which video encoders see frame order (issue 12, item 6).

Every encoder is built from its config, at a tiny width but at the config's
depth (its layer indices stay valid), in double precision, and all its
parameters are perturbed at random, so that the parts that start at zero
or as the identity (adapters' projections, temporal position embeddings,
dual attention's mix, InTI's and UniFormerV2's gates) are active. Reversing
the frames of a clip must change the clip's feature of every encoder that
models time, and must leave that of the per-frame ones unchanged (the mean
of the frames' [CLS] tokens does not depend on their order).
"""
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from mmvidlm.registry import MODELS
from mmvidlm.utils import register_all_modules

CONFIGS = osp.join(osp.dirname(__file__), '..', '..', '..', 'configs')
BLIP_ENCODERS = '_base_/models/blip_encoders/{}_vit-b16.py'
TINY = dict(
    arch=dict(
        embed_dims=32, num_layers=12, num_heads=2, feedforward_channels=64),
    img_size=32,
    patch_size=8,
    num_frames=8,
    out_type='cls_mean')
SMALL_LAYERS = {
    'AdapterLayer': dict(bottleneck=8),
    'STAdapterLayer': dict(adapter_channels=8)
}

#: Encoders that model time: reversing the frames changes their output.
TEMPORAL = {
    'token mixing': BLIP_ENCODERS.format('tokenmix'),
    'ViViT': BLIP_ENCODERS.format('vivit'),
    'temporal FT': BLIP_ENCODERS.format('temporal_ft'),
    'dual attention': BLIP_ENCODERS.format('dual_attention'),
    'ST-Adapter': BLIP_ENCODERS.format('st_adapter'),
    'InTI': 'inti/vit-b_k400.py',
    'InTI + UniFormerV2': 'inti/vit-b_uniformerv2_k400.py',
    'InTI + UniFormerV2 (SSv2, local MHRA)': 'inti/vit-b_uniformerv2_ssv2.py',
}
#: Encoders that treat frames independently: reversing them does not.
ORDER_BLIND = {
    'plain BLIP ViT': BLIP_ENCODERS.format('plain'),
    'Adapter': BLIP_ENCODERS.format('adapter'),
    'BitFit': BLIP_ENCODERS.format('bitfit'),
    'naive CLIP ViT': 'naive/vit-b_k400.py',
}


def build_tiny_encoder(config: str) -> torch.nn.Module:
    """The config's backbone, tiny, in double precision, every parameter
    perturbed, in eval mode."""
    register_all_modules()
    backbone = Config.fromfile(osp.join(CONFIGS, config)).model.backbone
    backbone.pop('init_cfg', None)  # no pre-trained weights in the tests
    backbone.pop('trainable', None)
    backbone.update(TINY)
    layer_cfgs = backbone.get('layer_cfgs', {})
    layer_cfgs.update(SMALL_LAYERS.get(layer_cfgs.get('type'), {}))
    torch.manual_seed(0)
    model = MODELS.build(backbone)
    model.init_weights()
    model.double().eval()
    with torch.no_grad():
        for param in model.parameters():
            param.add_(0.1 * torch.randn_like(param))
    return model


@pytest.mark.parametrize('name,config,sees_order', [
    pytest.param(name, config, True, id=name)
    for name, config in TEMPORAL.items()
] + [
    pytest.param(name, config, False, id=name)
    for name, config in ORDER_BLIND.items()
])
def test_reversing_the_frames(name, config, sees_order):
    model = build_tiny_encoder(config)
    torch.manual_seed(1)
    x = torch.randn(2, 3, 8, 32, 32, dtype=torch.float64)
    with torch.no_grad():
        out = model(x)
        reversed_out = model(x.flip(2))  # (B, C, T, H, W): frames reversed
    assert out.shape == (2, 32)
    difference = (reversed_out - out).abs().max().item()
    if sees_order:
        assert difference > 1e-4 * out.abs().max().item(), \
            f'{name}: reversing the frames changes the output by only ' \
            f'{difference:.1e}'
    else:
        torch.testing.assert_close(reversed_out, out, rtol=0, atol=1e-12)
