# Copyright (c) mmvidlm authors. All rights reserved.
"""The README's "Register your own module" example, run as written."""
import os.path as osp
import re
import shutil
import sys

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def readme_examples() -> dict:
    """``{file name: code}`` of the README blocks marked
    ``<!-- readme-example: FILE -->``."""
    with open(osp.join(REPO_ROOT, 'README.md')) as f:
        readme = f.read()
    return dict(
        re.findall(r'<!-- readme-example: (\S+) -->\n```\w*\n(.*?)```', readme,
                   re.S))


def test_register_your_own_module(tmp_path, monkeypatch, run_tool,
                                  synthetic_options):
    examples = readme_examples()
    assert set(examples) == {
        'my_modules.py', 'configs/demo/tsm_vit-tiny_synthetic-motion.py',
        'my_method.py',
        'configs/_base_/models/blip_encoders/gated_shift_vit-b16.py'
    }
    # A copy of the repository's configs with the example files added.
    shutil.copytree(osp.join(REPO_ROOT, 'configs'), tmp_path / 'configs')
    for name, code in examples.items():
        (tmp_path / name).write_text(code)
    config = str(tmp_path / 'configs' / 'demo' /
                 'tsm_vit-tiny_synthetic-motion.py')

    monkeypatch.syspath_prepend(str(tmp_path))
    cfg = Config.fromfile(config)  # imports my_modules (custom_imports)
    init_default_scope('mmvidlm')
    from mmvidlm.registry import MODELS
    model = MODELS.build(cfg.model)
    shift = model.backbone.between_blocks['2']
    assert type(shift).__name__ == 'TemporalShift'
    x = torch.randn(2, 8, 5, 16)  # (B, T, N, C)
    y = shift(x)
    torch.testing.assert_close(y[:, 1:, :, :2], x[:, :-1, :, :2])
    torch.testing.assert_close(y[..., 2:], x[..., 2:])
    assert not y[:, 0, :, :2].any()
    assert model.backbone(torch.randn(1, 3, 8, 32, 32)).shape == (1, 64)
    sys.modules.pop('my_modules')

    # A new method: its layer file and its encoder base (tiny here).
    from mmvidlm.models.utils import trainable_groups
    encoder = Config.fromfile(
        str(tmp_path / 'configs' / '_base_' / 'models' / 'blip_encoders' /
            'gated_shift_vit-b16.py')).model.backbone
    encoder.update(arch='tiny', img_size=32, patch_size=8, num_frames=4)
    backbone = MODELS.build(encoder)
    assert [type(layer).__name__ for layer in backbone.layers] == \
        ['GatedShiftLayer'] * 4
    assert trainable_groups(backbone) == {
        ':adapters': [f'layers.{i}.gate' for i in range(4)]
    }
    assert backbone(torch.randn(1, 3, 4, 32, 32)).shape == (1, 4, 17, 64)
    sys.modules.pop('my_method')

    # The documented command: PYTHONPATH=. python tools/train.py CONFIG
    out = run_tool(
        'train.py',
        config,
        '--work-dir',
        tmp_path / 'work_dir',
        env=dict(PYTHONPATH=str(tmp_path)),
        cfg_options=synthetic_options + ['train_cfg.max_epochs=1'])
    assert 'Epoch(train) [1][3/3]' in out.stdout.replace('  ', ' ')
