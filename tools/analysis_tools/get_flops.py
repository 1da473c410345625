# Copyright (c) mmvidlm authors. All rights reserved.
"""Multiply-adds and parameters of a config's model for one view.

    python tools/analysis_tools/get_flops.py CONFIG [--shape T H W]

GFLOPs are giga multiply-adds of one forward pass of one clip (one view),
attention matmuls included, as video papers report them (see
``mmvidlm.utils.flops``). The model is counted on the meta device (nothing is
computed), so ViT-L takes seconds.
"""
import argparse

import torch
from mmengine.config import Config, DictAction


def parse_args():
    parser = argparse.ArgumentParser(
        description='GFLOPs (multiply-adds) and parameters of a model')
    parser.add_argument('config', help='config file path')
    parser.add_argument(
        '--shape',
        type=int,
        nargs=3,
        metavar=('T', 'H', 'W'),
        help='input frames and size; defaults to the backbone\'s '
        'num_frames and img_size')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, key=value')
    return parser.parse_args()


def input_shape(cfg: Config, shape=None) -> tuple:
    """(T, H, W) of one view: ``shape`` or the backbone's settings."""
    if shape is not None:
        return tuple(shape)
    backbone = cfg.model.get('backbone', {})
    if 'num_frames' not in backbone:
        raise ValueError('The backbone sets no num_frames: give --shape.')
    size = backbone.get('img_size', 224)
    return backbone['num_frames'], size, size


def count(cfg: Config, shape=None) -> tuple:
    """(T, H, W), multiply-adds and parameters of ``cfg.model`` for one view.

    Video-text models need no tokenizer here: they build it on first use.
    """
    from mmvidlm.registry import MODELS
    from mmvidlm.utils.flops import count_macs, count_params
    T, H, W = input_shape(cfg, shape)
    # Counted on the meta device: shapes only, no compute.
    model = MODELS.build(cfg.model).eval().to('meta')
    # Recognisers take (batch, views, C, T, H, W); video-text models take
    # (batch, C, T, H, W), and their 'tensor' mode runs the video encoder.
    views = (1, ) if hasattr(model, 'extract_feat') else ()
    inputs = torch.empty(1, *views, 3, T, H, W, device='meta')
    return (T, H, W), count_macs(
        model, inputs, mode='tensor'), count_params(model)


def main():
    args = parse_args()
    from mmvidlm.utils import register_all_modules
    register_all_modules()
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    (T, H, W), macs, params = count(cfg, args.shape)
    print(f'Input shape: (3, {T}, {H}, {W}), one view')
    print(f'GFLOPs: {macs / 1e9:.2f}  Params: {params / 1e6:.2f}M')


if __name__ == '__main__':
    main()
