# Copyright (c) mmvidlm authors. All rights reserved.
"""The project's one FLOP counter.

Video papers (InTI, UniFormerV2, X-CLIP, ...) report "GFLOPs" that are
giga multiply-adds of one forward pass: every matrix product, linear layer
and convolution, the attention matmuls included. MMEngine's counter skips
``F.scaled_dot_product_attention``, which every mmvidlm ViT uses, so we
count at the ATen level with ``torch.utils.flop_counter.FlopCounterMode``
(2 FLOPs per multiply-add, converted here) and give it the one attention
kernel it does not know, the CPU flash kernel. Normalisation, activations
and element-wise ops are not counted (under 0.5 % of a ViT).
"""
from math import prod
from typing import Any, Callable, Dict

import torch
import torch.nn as nn
from torch.utils.flop_counter import FlopCounterMode

aten = torch.ops.aten


def _attention_flops(query_shape,
                     key_shape,
                     value_shape,
                     *args,
                     out_shape=None,
                     **kwargs) -> int:
    """FLOPs (2 per multiply-add) of ``softmax(q k^T) v``: (..., Lq, E) x
    (..., Lk, E) and (..., Lq, Lk) x (..., Lk, Ev)."""
    batch = prod(query_shape[:-2])
    q_len, dims = query_shape[-2:]
    k_len, v_dims = key_shape[-2], value_shape[-1]
    return 2 * batch * q_len * k_len * (dims + v_dims)


#: ATen kernels FlopCounterMode has no formula for, with ours.
EXTRA_FORMULAS: Dict[Any, Callable] = {
    aten._scaled_dot_product_flash_attention_for_cpu: _attention_flops,
}


def count_macs(model: nn.Module, *inputs: Any, **kwargs: Any) -> int:
    """Multiply-adds of one call ``model(*inputs, **kwargs)``.

    Works on any device, the meta device included (no compute):
    ``model.to('meta')`` and meta inputs give the count in seconds.

    Args:
        model (nn.Module): The model (or any callable module).
        *inputs: Positional inputs of the call.
        **kwargs: Keyword inputs of the call.

    Returns:
        int: Multiply-adds, attention matmuls included.
    """
    counter = FlopCounterMode(display=False, custom_mapping=EXTRA_FORMULAS)
    with counter, torch.no_grad():
        model(*inputs, **kwargs)
    return counter.get_total_flops() // 2


def count_params(model: nn.Module) -> int:
    """Number of parameters of ``model`` (trainable or not)."""
    return sum(p.numel() for p in model.parameters())
