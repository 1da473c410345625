# Copyright (c) mmvidlm authors. All rights reserved.
"""Config mistakes fail when the model / optimizer / tokenizer is built,
with a message that says what is wrong and what would be right."""
import pytest

from mmvidlm.registry import MODELS, TOKENIZER
from mmvidlm.utils import register_all_modules

register_all_modules()


def test_inti_frame_count_that_cannot_be_halved():
    with pytest.raises(
            ValueError,
            match='InTI at 2 layers halves T twice: num_frames must be '
            'divisible by 4, got 6'):
        MODELS.build(
            dict(
                type='InTIViT',
                arch='tiny',
                img_size=32,
                patch_size=16,
                num_frames=6,
                inti_layers=(1, 2)))


@pytest.mark.parametrize('index', [4, -5])
def test_token_mixing_layer_out_of_range(index):
    with pytest.raises(
            ValueError,
            match=f'layer_cfgs: layers: this ViT has 4 layers, indexed 0..3 '
            rf'\(or -4..-1\), got {index}'):
        MODELS.build(
            dict(
                type='VideoViT',
                arch='tiny',
                img_size=32,
                patch_size=16,
                num_frames=4,
                layer_cfgs=dict(type='TokenMixLayer', layers=[index])))


def test_trainable_entry_selecting_no_parameter():
    # a typo of the layer type: nothing would train in the encoder
    with pytest.raises(
            ValueError,
            match="trainable entry 'TokenMixLayr' of VideoViT selects no "
            'parameter'):
        MODELS.build(
            dict(
                type='VideoViT',
                arch='tiny',
                img_size=32,
                patch_size=16,
                num_frames=4,
                layer_cfgs=dict(type='TokenMixLayer', layers=[-1]),
                trainable=['TokenMixLayr']))


def test_tokenizer_path_that_does_not_exist(tmp_path):
    missing = str(tmp_path / 'no_such_dir' / 'vocab.txt')
    with pytest.raises(FileNotFoundError, match='does not exist'):
        TOKENIZER.build(dict(type='BlipTokenizer', name_or_path=missing))
