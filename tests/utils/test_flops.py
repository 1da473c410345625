# Copyright (c) mmvidlm authors. All rights reserved.
import re

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmvidlm.models.backbones import InTIViT, VideoViT
from mmvidlm.utils.flops import count_macs, count_params


def test_linear_and_grouped_conv():
    assert count_macs(nn.Linear(8, 16), torch.randn(3, 8)) == 3 * 8 * 16
    conv = nn.Conv3d(12, 12, 3, padding=1, groups=12)
    # one 27-tap filter per channel at every output position
    assert count_macs(conv, torch.randn(1, 12, 2, 4, 4)) == 12 * 27 * 32


class Attention(nn.Module):

    def forward(self, q, k, v):
        return F.scaled_dot_product_attention(q, k, v)


@pytest.mark.parametrize('device', ['cpu', 'meta'])
def test_attention_matmuls_are_counted(device):
    q = torch.randn(2, 4, 10, 8, device=device)
    k = torch.randn(2, 4, 6, 8, device=device)
    v = torch.randn(2, 4, 6, 5, device=device)
    # q k^T: 10 x 6 x 8 and attn v: 10 x 6 x 5, per batch and head
    assert count_macs(Attention(), q, k, v) == 2 * 4 * 10 * 6 * (8 + 5)


def vit_macs(T, N, C, F, layers, patch_macs, frames_per_layer=None):
    """Hand count of a ViT: qkv, proj, FFN, q k^T and attn v per token."""
    per_frame_layer = N * (3 * C * C + C * C + 2 * C * F) + 2 * N * N * C
    frames = frames_per_layer or [T] * layers
    return sum(frames) * per_frame_layer + T * patch_macs


def test_tiny_vit_matches_the_hand_count():
    model = VideoViT(arch='tiny', img_size=32, patch_size=8, num_frames=8)
    N, C, F_ = 1 + 16, 64, 256
    patch = 16 * (3 * 8 * 8) * C
    assert count_macs(model,
                      torch.randn(1, 3, 8, 32,
                                  32)) == vit_macs(8, N, C, F_, 4, patch)
    # On the meta device the count is the same.
    meta = model.to('meta')
    assert count_macs(meta, torch.empty(1, 3, 8, 32, 32,
                                        device='meta')) == vit_macs(
                                            8, N, C, F_, 4, patch)


def test_inti_counts_fewer_frames_after_each_insertion():
    model = InTIViT(
        arch='tiny',
        img_size=32,
        patch_size=8,
        num_frames=8,
        inti_layers=(1, 3)).to('meta')
    N, C, F_ = 1 + 16, 64, 256
    backbone = vit_macs(8, N, C, F_, 4, 16 * 192 * C, [8, 4, 4, 2])
    macs = count_macs(model, torch.empty(1, 3, 8, 32, 32, device='meta'))
    assert backbone < macs < 1.1 * backbone  # + the weight predictors


def test_vit_b_reproduces_the_paper():
    """ViT-B/16, 16 x 224^2: naive 281 GFLOPs, InTI (5, 9) 182 (Table 1)."""
    x = torch.empty(1, 3, 16, 224, 224, device='meta')
    naive = VideoViT(arch='b', num_frames=16).to('meta')
    assert count_macs(naive, x) / 1e9 == pytest.approx(281, abs=3)
    assert count_params(naive) / 1e6 == pytest.approx(85.8, abs=0.2)
    inti = InTIViT(arch='b', num_frames=16).to('meta')
    assert count_macs(inti, x) / 1e9 == pytest.approx(182, abs=4)


def test_get_flops_tool(run_tool):
    out = run_tool('analysis_tools/get_flops.py',
                   'configs/demo/inti_vit-tiny_synthetic-motion.py', '--shape',
                   4, 32, 32).stdout
    last = out.strip().splitlines()[-1]
    assert re.fullmatch(r'GFLOPs: \d+\.\d+  Params: \d+\.\d+M', last), last
