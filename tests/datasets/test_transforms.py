# Copyright (c) mmvidlm authors. All rights reserved.
"""mmvidlm's DecordInit / DecordDecode: what configs get, short videos."""
from unittest import mock

import numpy as np
from mmengine.dataset import Compose
from torch.utils.data import DataLoader

from mmvidlm.datasets import DecordDecode, DecordInit, RobustVideoDataset
from mmvidlm.datasets.synthetic import write_video
from mmvidlm.utils import register_all_modules

register_all_modules()

PIPELINE = [
    dict(type='DecordInit'),
    dict(type='UniformSample', clip_len=8, num_clips=1),
    dict(type='DecordDecode'),
]


def test_configs_get_mmvidlm_transforms():
    init, _, decode = Compose(PIPELINE).transforms
    assert type(init) is DecordInit and type(decode) is DecordDecode


def test_short_videos_warn_once_per_file(tmp_path):
    rng = np.random.RandomState(0)
    lengths = dict(one=1, three=3, good_a=8, good_b=12)
    for name, length in lengths.items():
        write_video(
            str(tmp_path / f'{name}.mp4'),
            rng.randint(0, 255, (length, 32, 32, 3), np.uint8))
    (tmp_path / 'list.txt').write_text(''.join(f'{name}.mp4 0\n'
                                               for name in lengths) *
                                       3)  # each file 3 times
    dataset = RobustVideoDataset(
        ann_file=str(tmp_path / 'list.txt'),
        pipeline=PIPELINE,
        data_prefix=dict(video=str(tmp_path)),
        num_classes=1)
    log = tmp_path / 'warnings.txt'

    def record(message, **kwargs):  # appends are atomic across workers
        with open(log, 'a') as f:
            f.write(message + '\n')

    with mock.patch('mmvidlm.datasets.transforms.print_log', record):
        for _ in range(2):  # two epochs, workers forked again
            loader = DataLoader(
                dataset,
                batch_size=2,
                num_workers=2,
                collate_fn=lambda batch: batch)
            for batch in loader:
                assert all(len(s['imgs']) == 8 for s in batch)
    warnings = log.read_text().splitlines()
    assert len(warnings) == 2, warnings
    one, three = sorted(warnings)
    assert 'one.mp4 has 1 frame(s), fewer than the 8 of a clip' in one
    assert 'three.mp4 has 3 frame(s), fewer than the 8' in three
