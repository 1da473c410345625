# Copyright (c) mmvidlm authors. All rights reserved.
"""Convert a Salesforce BLIP or Hugging Face BLIP checkpoint to mmvidlm keys.

    python tools/model_converters/blip2mmvidlm.py model_base.pth blip-b.pth

The output holds mmvidlm's converted layout (``visual.*``, ``text_encoder.*``,
``text_decoder.*``, ``vision_proj.*``, ...);
``init_cfg=dict(type='Pretrained', checkpoint=...)`` loads it, and also loads
the original file directly.
"""
import sys

from mmvidlm.models.utils import convert_checkpoint_file

if __name__ == '__main__':
    convert_checkpoint_file('blip', sys.argv[1:])
