# Copyright (c) mmvidlm authors. All rights reserved.
"""Tiny reference models in the upstream checkpoint layouts (fixtures).

Written from the papers' definitions and the upstream key names, without
mmvidlm code, so that a converted checkpoint loaded into mmvidlm's ViT can
be compared with the model that produced it:

* :class:`OpenAICLIP`: CLIP's image ViT (Radford et al. 2021; module names
  of ``openai/CLIP`` ``clip/model.py``): pre-LayerNorm ``ln_pre`` after the
  embeddings, ``nn.MultiheadAttention`` blocks on (L, N, D) tensors,
  QuickGELU MLPs, ``ln_post`` and ``proj`` on the [CLS] token.
* :class:`SalesforceBLIP`: BLIP's ViT (Li et al. 2022; module names of
  ``salesforce/BLIP`` ``models/vit.py``, a timm ViT): no pre-norm, fused
  ``qkv`` attention, GELU MLPs, LayerNorm eps 1e-6; with the retrieval
  heads (``vision_proj``, ``text_proj``, ``itm_head``, ``temp``).
"""
from collections import OrderedDict

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F


def randomize_norms(model: nn.Module) -> nn.Module:
    """Give every LayerNorm non-trivial weights, so the test sees them."""
    for m in model.modules():
        if isinstance(m, nn.LayerNorm):
            nn.init.normal_(m.weight, 1.0, 0.1)
            nn.init.normal_(m.bias, 0.0, 0.1)
    return model


class QuickGELU(nn.Module):

    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):

    def __init__(self, width: int, heads: int):
        super().__init__()
        self.attn = nn.MultiheadAttention(width, heads)
        self.ln_1 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(
            OrderedDict([('c_fc', nn.Linear(width, width * 4)),
                         ('gelu', QuickGELU()),
                         ('c_proj', nn.Linear(width * 4, width))]))
        self.ln_2 = nn.LayerNorm(width)

    def forward(self, x):  # (L, N, D)
        y = self.ln_1(x)
        x = x + self.attn(y, y, y, need_weights=False)[0]
        return x + self.mlp(self.ln_2(x))


class CLIPVisualTransformer(nn.Module):

    def __init__(self, resolution, patch, width, layers, heads, out_dim):
        super().__init__()
        scale = width**-0.5
        self.conv1 = nn.Conv2d(3, width, patch, patch, bias=False)
        self.class_embedding = nn.Parameter(scale * torch.randn(width))
        self.positional_embedding = nn.Parameter(scale * torch.randn(
            (resolution // patch)**2 + 1, width))
        self.ln_pre = nn.LayerNorm(width)
        self.transformer = nn.Module()
        self.transformer.resblocks = nn.Sequential(
            *[ResidualAttentionBlock(width, heads) for _ in range(layers)])
        self.ln_post = nn.LayerNorm(width)
        self.proj = nn.Parameter(scale * torch.randn(width, out_dim))

    def forward(self, x):
        """Images (N, 3, H, W) -> (all tokens after ln_post, embedding)."""
        x = self.conv1(x).flatten(2).transpose(1, 2)  # (N, HW, D)
        cls = self.class_embedding.expand(x.shape[0], 1, -1)
        x = torch.cat([cls, x], dim=1) + self.positional_embedding
        x = self.ln_pre(x).permute(1, 0, 2)  # (L, N, D)
        x = self.transformer.resblocks(x).permute(1, 0, 2)
        tokens = self.ln_post(x)
        return tokens, tokens[:, 0] @ self.proj


class OpenAICLIP(nn.Module):
    """CLIP with its image tower and a stand-in for the text tower."""

    def __init__(self,
                 resolution=32,
                 patch=8,
                 width=64,
                 layers=2,
                 heads=4,
                 out_dim=32):
        super().__init__()
        self.visual = CLIPVisualTransformer(resolution, patch, width, layers,
                                            heads, out_dim)
        self.token_embedding = nn.Embedding(100, out_dim)
        self.logit_scale = nn.Parameter(torch.tensor(4.6))
        randomize_norms(self)

    def forward(self, images):
        return self.visual(images)[1]


class BLIPAttention(nn.Module):

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.heads, C // self.heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)  # 3 x (B, heads, N, C/heads)
        attn = (q @ k.transpose(-2, -1)) * (C // self.heads)**-0.5
        x = attn.softmax(dim=-1) @ v
        return self.proj(x.transpose(1, 2).reshape(B, N, C))


class BLIPBlock(nn.Module):

    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = BLIPAttention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = nn.Module()
        self.mlp.fc1 = nn.Linear(dim, dim * 4)
        self.mlp.fc2 = nn.Linear(dim * 4, dim)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp.fc2(F.gelu(self.mlp.fc1(self.norm2(x))))


class BLIPViT(nn.Module):

    def __init__(self, resolution, patch, dim, depth, heads):
        super().__init__()
        self.patch_embed = nn.Module()
        self.patch_embed.proj = nn.Conv2d(3, dim, patch, patch)
        self.cls_token = nn.Parameter(0.02 * torch.randn(1, 1, dim))
        self.pos_embed = nn.Parameter(
            0.02 * torch.randn(1, (resolution // patch)**2 + 1, dim))
        self.blocks = nn.ModuleList(
            BLIPBlock(dim, heads) for _ in range(depth))
        self.norm = nn.LayerNorm(dim, eps=1e-6)

    def forward(self, x):
        """Images (B, 3, H, W) -> all tokens (B, N, C) after the norm."""
        x = self.patch_embed.proj(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1)
        x = x + self.pos_embed
        for block in self.blocks:
            x = block(x)
        return self.norm(x)


class SalesforceBLIP(nn.Module):
    """BLIP's retrieval model (image side, heads and momentum encoder)."""

    def __init__(self,
                 resolution=32,
                 patch=8,
                 dim=64,
                 depth=2,
                 heads=4,
                 embed_dim=16):
        super().__init__()
        self.visual_encoder = BLIPViT(resolution, patch, dim, depth, heads)
        self.visual_encoder_m = BLIPViT(resolution, patch, dim, depth, heads)
        self.vision_proj = nn.Linear(dim, embed_dim)
        self.text_proj = nn.Linear(dim, embed_dim)
        self.itm_head = nn.Linear(dim, 2)
        self.temp = nn.Parameter(torch.tensor(0.07))
        self.register_buffer('image_queue', torch.randn(embed_dim, 8))
        randomize_norms(self)

    def forward(self, images):
        return self.visual_encoder(images)


@pytest.fixture(name='randomize_norms')
def randomize_norms_fixture():
    """:func:`randomize_norms`, for models built in a test."""
    return randomize_norms


@pytest.fixture
def make_openai_clip():
    """``make_openai_clip(**kwargs)``: a seeded :class:`OpenAICLIP`."""

    def make(**kwargs) -> OpenAICLIP:
        torch.manual_seed(0)
        return OpenAICLIP(**kwargs).eval()

    return make


@pytest.fixture
def openai_clip(make_openai_clip) -> OpenAICLIP:
    """A tiny OpenAI CLIP: 32 px, patch 8, width 64, 2 layers, 4 heads."""
    return make_openai_clip()


@pytest.fixture
def salesforce_blip() -> SalesforceBLIP:
    """A tiny Salesforce BLIP: 32 px, patch 8, width 64, 2 layers."""
    torch.manual_seed(0)
    return SalesforceBLIP().eval()
