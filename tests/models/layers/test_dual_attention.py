# Copyright (c) mmvidlm authors. All rights reserved.
import pytest
import torch

from mmvidlm.models import VideoViT

TINY = dict(arch='tiny', img_size=32, patch_size=8)


def test_temporal_position_embedding_has_the_backbones_frames():
    model = VideoViT(
        **TINY, num_frames=6, layer_cfgs=dict(type='DualAttentionLayer'))
    for layer in model.layers:
        assert layer.temporal_pos_embed.shape == (1, 6, 1, 64)
    with pytest.raises(ValueError, match='num_frames=6.*clips of 4 frames'):
        model(torch.randn(1, 3, 4, 32, 32))


def test_image_checkpoint_leaves_the_temporal_channel_order_blind():
    """Loading an image checkpoint starts the temporal position embedding
    at zero (every frame alike, as CogVideo's copies of the image position
    embedding) and the temporal attention as the spatial one."""
    image = VideoViT(**TINY, num_frames=4)
    image.init_weights()
    model = VideoViT(
        **TINY, num_frames=4, layer_cfgs=dict(type='DualAttentionLayer'))
    missing, _ = model.load_state_dict(image.state_dict(), strict=False)
    assert missing == []
    assert not model.layers[2].temporal_pos_embed.any()
    torch.testing.assert_close(model.layers[2].temporal_attn.qkv.weight,
                               image.layers[2].attn.qkv.weight)
