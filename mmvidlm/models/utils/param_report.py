# Copyright (c) mmvidlm authors. All rights reserved.
from typing import Dict, Tuple

import torch.nn as nn

#: What the top-level parts of mmvidlm's models are, for the report.
PART_NAMES = {
    'backbone': 'visual encoder',
    'vision_proj': 'linear projection (LP)',
    'vision_neck': 'linear projection (LP)',
    'text_backbone': 'text encoder',
    'text_neck': 'text projection',
    'seq_gen_head': 'text decoder + language head (LH)',
    'multimodal_head': 'matching head',
    'cls_head': 'classification head',
}


def updated_params(model: nn.Module) -> Dict[str, Tuple[int, int]]:
    """Total and trainable (``requires_grad``) parameters of each top-level
    part of a model.

    Args:
        model (nn.Module): The model, after freezing.

    Returns:
        dict[str, tuple[int, int]]: ``{child name: (total, trainable)}`` for
        the children that hold parameters; parameters of the model itself
        (e.g. a retrieval temperature) are under ``'(model)'``.
    """
    parts: Dict[str, Tuple[int, int]] = {}
    for name, param in model.named_parameters():
        part = name.split('.')[0] if '.' in name else '(model)'
        total, trainable = parts.get(part, (0, 0))
        parts[part] = (total + param.numel(),
                       trainable + param.numel() * param.requires_grad)
    return parts


def visual_updated_params(backbone: nn.Module) -> int:
    """The updated parameters of a video encoder as the Token Mixing paper
    counts them (its UP): the trained parameters, except the encoder's
    ``'lp'`` group (patch and position embeddings, [CLS], the norms outside
    the blocks), which the paper's Table 4 counts apart as the "linear
    projection" although the reference code trains it with every method.

    Args:
        backbone (nn.Module): The video encoder, after freezing.

    Returns:
        int: The number of updated parameters.
    """
    lp = set(getattr(backbone, 'trainable_groups', {}).get('lp', ()))
    return sum(p.numel() for n, p in backbone.named_parameters()
               if p.requires_grad and n not in lp)


def param_report(model: nn.Module) -> str:
    """The updated-parameter report: one line per top-level part, then
    ``UP(visual): <M>M  Trainable: <M>M  Total: <M>M``, UP being the
    updated parameters of the visual encoder (``backbone``) as the Token
    Mixing paper counts them (:func:`visual_updated_params`).

    Args:
        model (nn.Module): The model, after freezing.

    Returns:
        str: The report, several lines.
    """
    parts = updated_params(model)
    lines = [f'{"part":<16}{"total":>12}{"trainable":>13}']
    for part, (total, trainable) in parts.items():
        line = f'{part:<16}{total / 1e6:>11.2f}M{trainable / 1e6:>12.2f}M'
        lines.append(f'{line}  {PART_NAMES.get(part, "")}'.rstrip())
    backbone = getattr(model, 'backbone', None)
    visual = (
        visual_updated_params(backbone)
        if isinstance(backbone, nn.Module) else 0)
    trainable = sum(t for _, t in parts.values())
    total = sum(t for t, _ in parts.values())
    lines.append(f'UP(visual): {visual / 1e6:.2f}M  '
                 f'Trainable: {trainable / 1e6:.2f}M  '
                 f'Total: {total / 1e6:.2f}M')
    return '\n'.join(lines)
