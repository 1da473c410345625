# Copyright (c) mmvidlm authors. All rights reserved.
"""Convert an OpenAI CLIP, Hugging Face CLIP, MMPretrain ViT or MMAction2
UniFormerV2 checkpoint to mmvidlm keys.

    python tools/model_converters/clip2mmvidlm.py ViT-B-16.pt vit-b16.pth

The output holds mmvidlm's converted layout (``visual.*``, ``visual_proj.*``,
unknown keys unchanged);
``init_cfg=dict(type='Pretrained', checkpoint=...)`` loads it, and also loads
the original file directly.
"""
import argparse

from mmvidlm.models.utils import convert_checkpoint_file


def main(argv=None):
    parser = argparse.ArgumentParser(
        description='Convert a CLIP checkpoint to mmvidlm keys.')
    parser.add_argument('src', help='checkpoint path or URL')
    parser.add_argument('dst', help='output path (.pth)')
    args = parser.parse_args(argv)
    try:
        layout, components = convert_checkpoint_file(args.src, args.dst,
                                                     'clip')
    except ValueError as e:
        parser.error(str(e))
    print(f'{args.src}: {layout} layout, {sum(components.values())} '
          f'tensors written to {args.dst}:')
    for component, n in components.items():
        print(f'    {component}: {n}')


if __name__ == '__main__':
    main()
