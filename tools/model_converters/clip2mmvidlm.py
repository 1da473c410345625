# Copyright (c) mmvidlm authors. All rights reserved.
"""Convert an OpenAI CLIP or Hugging Face CLIP checkpoint to mmvidlm keys.

    python tools/model_converters/clip2mmvidlm.py ViT-B-16.pt vit-b16.pth

The output holds mmvidlm's converted layout (``visual.*``, ``visual_proj.*``,
unknown keys unchanged); ``init_cfg=dict(type='Pretrained', checkpoint=...)``
loads it, and also loads the original file directly.
"""
import sys

from mmvidlm.models.utils import convert_checkpoint_file

if __name__ == '__main__':
    convert_checkpoint_file('clip', sys.argv[1:])
