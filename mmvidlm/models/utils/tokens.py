# Copyright (c) mmvidlm authors. All rights reserved.
"""Helpers on the ``(B, T, N, C)`` token tensors of mmvidlm's backbones
([CLS] first, then the patch grid of every frame)."""
import math

import torch


def frame_pairs(x: torch.Tensor) -> torch.Tensor:
    """Group frames (2i, 2i+1): (B, T, ...) -> (B, T/2, 2, ...)."""
    if x.shape[1] % 2:
        raise ValueError(f'Frames are fused in pairs: T must be even, got '
                         f'{x.shape[1]}.')
    return x.unflatten(1, (x.shape[1] // 2, 2))


def patch_grid(num_patches: int) -> int:
    """Side of the square patch grid of ``num_patches`` tokens."""
    side = math.isqrt(num_patches)
    if side * side != num_patches:
        raise ValueError(f'Expected a square grid of patch tokens, got '
                         f'{num_patches} tokens.')
    return side


def to_grid(x: torch.Tensor) -> torch.Tensor:
    """Patch tokens (B, T, HW, C) -> (B, C, T, H, W)."""
    side = patch_grid(x.shape[2])
    return x.permute(0, 3, 1, 2).unflatten(-1, (side, side))


def from_grid(x: torch.Tensor) -> torch.Tensor:
    """(B, C, T, H, W) -> patch tokens (B, T, HW, C)."""
    return x.flatten(3).permute(0, 2, 3, 1)
