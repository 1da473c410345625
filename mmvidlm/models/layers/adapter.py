# Copyright (c) mmvidlm authors. All rights reserved.
import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmvidlm.registry import MODELS
from .transformer_layer import VideoTransformerLayer


class Adapter(BaseModule):
    """Houlsby's bottleneck adapter: ``x + up(GELU(down(x)))``.

    The up-projection starts at zero, so the adapter starts as the identity
    and the pre-trained model is unchanged at initialisation.

    Args:
        embed_dims (int): Input and output width.
        bottleneck (int): Width of the bottleneck.
    """

    def __init__(self, embed_dims: int, bottleneck: int):
        super().__init__()
        self.down = nn.Linear(embed_dims, bottleneck)
        self.act = nn.GELU()
        self.up = nn.Linear(bottleneck, embed_dims)
        self._init_identity()

    def _init_identity(self) -> None:
        nn.init.zeros_(self.up.weight)
        nn.init.zeros_(self.up.bias)

    def init_weights(self):
        """Generic initialisation, then the up-projection back to zero."""
        super().init_weights()
        self._init_identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.up(self.act(self.down(x)))


@MODELS.register_module()
class AdapterLayer(VideoTransformerLayer):
    """A ViT layer with Houlsby adapters (Houlsby et al., ICML 2019).

    One adapter on the output of the attention and one on the output of the
    FFN, each before its residual connection. Houlsby et al. train the
    adapters and the layer norms.

    Args:
        bottleneck (int): Adapter bottleneck width. Defaults to 48
            (768 / 16 for ViT-B).
        **kwargs: The other arguments of :class:`VideoTransformerLayer`.
    """
    adapters = ('attn_adapter', 'ffn_adapter')

    def __init__(self, bottleneck: int = 48, **kwargs):
        super().__init__(**kwargs)
        self.attn_adapter = Adapter(self.embed_dims, bottleneck)
        self.ffn_adapter = Adapter(self.embed_dims, bottleneck)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn_adapter(self.attend(self.ln1(x)))
        # identity=0: the FFN returns its branch, the adapter goes before
        # the skip connection
        return x + self.ffn_adapter(self.ffn(self.ln2(x), identity=0.))
