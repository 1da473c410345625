# Copyright (c) mmvidlm authors. All rights reserved.
from typing import Tuple

import torch

from mmvidlm.registry import MODELS
from .token_merging import bipartite_merge
from .token_reduction import TokenLayout, TokenReducingLayer


@MODELS.register_module()
class ToMeLayer(TokenReducingLayer):
    """A ViT layer with ToMe (Bolya et al., ICLR 2023) inside each frame.

    As ToMe's timm blocks: proportional attention (``log(size)`` added to the
    logits of every key, Eq. 1 of ToMe), then, between the attention and the
    MLP, ``r`` tokens of each frame merged by bipartite soft matching on the
    attention keys averaged over heads (:func:`bipartite_merge`; the [CLS]
    token is never merged), sizes carried to the next layer. Put on every
    layer (``layer_cfgs=dict(type='ToMeLayer', r=r)``), a frame of N tokens
    leaves layer i with ``N - r * i`` (at most half of them merged per
    layer).

    Args: see :class:`TokenReducingLayer`.
    """

    def forward(self, x: torch.Tensor,
                layout: TokenLayout) -> Tuple[torch.Tensor, TokenLayout]:
        """Apply the layer.

        Args:
            x (Tensor): Tokens (B, T, N, C).
            layout (TokenLayout): Their layout.

        Returns:
            tuple: Tokens (B, T, N - r, C) and their layout.
        """
        x = self.local(self.lmhra1, x, layout)
        out, keys = self.attend_with_keys(self.ln1(x), layout.size)
        # (B, T, N, C) -> (B, T, N - r, C)
        x, layout = bipartite_merge(x + out, layout, keys, self.r)
        x = self.local(self.lmhra2, x, layout)
        return self.ffn(self.ln2(x), identity=x), layout
