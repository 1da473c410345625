# Copyright (c) mmvidlm authors. All rights reserved.
from typing import Optional

from mmengine.model import BaseModule


def num_kept(num_patches: int, keep_ratio: float) -> int:
    """Patch tokens a frame keeps at ``keep_ratio`` (at least one)."""
    return max(1, round(num_patches * keep_ratio))


class TokenReduction(BaseModule):
    """Base of the modules inserted between blocks that reduce the tokens
    of every frame (ToMe, STA) instead of the frames:
    ``(x, size) -> (x', size')``, ``(B, T, N, C) -> (B, T, N', C)``, with
    ``size`` (B, T, N, 1) the input patches each token stands for.
    :class:`~mmvidlm.models.backbones.VideoViT` calls every inserted module
    with ``needs_size = True`` this way (``size`` all ones at the first).

    Args:
        embed_dims (int): Token width (unused; the interface of every
            compressor).
        keep_ratio (float): Fraction of the patch tokens kept. Defaults to
            0.5.
        init_cfg (dict, optional): Initialisation config.
    """
    halves_frames = False
    needs_size = True

    def __init__(self,
                 embed_dims: int,
                 keep_ratio: float = 0.5,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        if not 0 < keep_ratio <= 1:
            raise ValueError(
                f'keep_ratio must be in (0, 1], got {keep_ratio}.')
        self.keep_ratio = keep_ratio
