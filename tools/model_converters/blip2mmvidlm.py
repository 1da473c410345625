# Copyright (c) mmvidlm authors. All rights reserved.
"""Convert a Salesforce, MMPretrain or Hugging Face BLIP checkpoint to mmvidlm
keys.

    python tools/model_converters/blip2mmvidlm.py model_base.pth blip-b.pth

The output holds mmvidlm's converted layout (``visual.*``, ``text_encoder.*``,
``text_decoder.*``, ``vision_proj.*``, ...);
``init_cfg=dict(type='Pretrained', checkpoint=...)`` loads it, and also loads
the original file directly.
"""
import argparse

from mmvidlm.models.utils import convert_checkpoint_file


def main(argv=None):
    parser = argparse.ArgumentParser(
        description='Convert a BLIP checkpoint to mmvidlm keys.')
    parser.add_argument('src', help='checkpoint path or URL')
    parser.add_argument('dst', help='output path (.pth)')
    args = parser.parse_args(argv)
    try:
        layout, components = convert_checkpoint_file(args.src, args.dst,
                                                     'blip')
    except ValueError as e:
        parser.error(str(e))
    print(f'{args.src}: {layout} layout, {sum(components.values())} '
          f'tensors written to {args.dst}:')
    for component, n in components.items():
        print(f'    {component}: {n}')


if __name__ == '__main__':
    main()
