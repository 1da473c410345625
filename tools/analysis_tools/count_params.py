# Copyright (c) mmvidlm authors. All rights reserved.
"""Print a config's total and trainable parameters per top-level part.

    python tools/analysis_tools/count_params.py CONFIG [--cfg-options ...]

Freezing is that of training: the model's own ``trainable`` specs, applied
when it is built (no optimizer is built). The last line reads
``UP(visual): <M>M  Trainable: <M>M  Total: <M>M``, UP being the updated
parameters of the visual encoder as in the Token Mixing paper. A config that
only describes an encoder (``model = dict(backbone=...)``, the files of
``configs/_base_/models/blip_encoders/``) is counted as that encoder.
"""
import argparse

import torch.nn as nn
from mmengine.config import Config, DictAction


def parse_args():
    parser = argparse.ArgumentParser(
        description='Count total and trainable parameters of a config')
    parser.add_argument('config', help='config file path')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, key=value')
    return parser.parse_args()


def build_frozen_model(cfg: Config) -> nn.Module:
    """Build the config's model, frozen as training will train it (the
    model applies its ``trainable`` specs when it is built)."""
    from mmvidlm.registry import MODELS
    if 'type' in cfg.model:
        return MODELS.build(cfg.model)
    # an encoder config
    return nn.ModuleDict({
        name: MODELS.build(part)
        for name, part in cfg.model.items()
    })


def main():
    args = parse_args()
    from mmvidlm.models.utils import param_report
    from mmvidlm.utils import register_all_modules
    register_all_modules()
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    print(param_report(build_frozen_model(cfg)))


if __name__ == '__main__':
    main()
