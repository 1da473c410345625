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


def param_report(model: nn.Module) -> str:
    """The updated-parameter report: one line per top-level part, then
    ``UP(visual): <M>M  Trainable: <M>M  Total: <M>M``, UP being the
    trainable parameters of the visual encoder (``backbone``), the figure
    the Token Mixing paper reports.

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
    visual = parts.get('backbone', (0, 0))[1]
    trainable = sum(t for _, t in parts.values())
    total = sum(t for t, _ in parts.values())
    lines.append(f'UP(visual): {visual / 1e6:.2f}M  '
                 f'Trainable: {trainable / 1e6:.2f}M  '
                 f'Total: {total / 1e6:.2f}M')
    return '\n'.join(lines)
