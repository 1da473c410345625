# Copyright (c) mmvidlm authors. All rights reserved.
import json
import os
import os.path as osp

import decord
import numpy as np
import pytest

from mmvidlm.datasets import (APPEARANCE_CLASSES, CLASS_NAMES, MOTION_CLASSES,
                              SyntheticVideoDataset, generate_synthetic_videos)
from mmvidlm.datasets.synthetic import render_clip
from mmvidlm.utils import register_all_modules


def test_classes():
    assert len(CLASS_NAMES) == 6
    assert set(MOTION_CLASSES) | set(APPEARANCE_CLASSES) == set(range(6))
    assert [CLASS_NAMES[i] for i in MOTION_CLASSES] == [
        'circle left', 'circle right', 'bar clockwise', 'bar anticlockwise'
    ]


@pytest.mark.parametrize('pair', [(0, 1), (2, 3)])
def test_motion_pair_is_the_same_clip_reversed(pair):
    """With the same random state, a "left" clip is the "right" clip played
    backwards: same frames, opposite order. A model invariant to frame order
    therefore cannot tell the two classes apart."""
    forward, _ = render_clip(pair[0], np.random.RandomState(7), 8, 32)
    backward, _ = render_clip(pair[1], np.random.RandomState(7), 8, 32)
    np.testing.assert_array_equal(forward, backward[::-1])
    assert not np.array_equal(forward, backward)  # but order matters


def test_deterministic_in_seed(tmp_path):
    kwargs = dict(num_videos=dict(train=1), num_frames=4, size=32)
    for name, seed in (('a', 0), ('b', 0), ('c', 1)):
        generate_synthetic_videos(str(tmp_path / name), seed=seed, **kwargs)

    def frames(name):
        reader = decord.VideoReader(
            str(tmp_path / name / 'videos' / 'train_00002.mp4'))
        return reader.get_batch(list(range(len(reader)))).asnumpy()

    np.testing.assert_array_equal(frames('a'), frames('b'))
    assert not np.array_equal(frames('a'), frames('c'))


def test_videos_annotations_and_captions(synthetic_data_root):
    with open(osp.join(synthetic_data_root, 'meta.json')) as f:
        meta = json.load(f)
    with open(osp.join(synthetic_data_root, 'val_list.txt')) as f:
        lines = [line.split() for line in f]
    assert len(lines) == 6 * meta['num_videos']['val']
    name, label = lines[0]
    reader = decord.VideoReader(osp.join(synthetic_data_root, 'videos', name))
    assert len(reader) == meta['num_frames']
    assert reader[0].shape == (meta['size'], meta['size'], 3)

    with open(osp.join(synthetic_data_root, 'val_captions.json')) as f:
        captions = json.load(f)
    assert [c['video'] for c in captions] == [n for n, _ in lines]
    for item, (_, label) in zip(captions, lines):
        shape, motion = CLASS_NAMES[int(label)].split()
        assert item['label'] == int(label) and len(item['captions']) == 2
        if motion == 'left':
            assert 'left' in item['captions'][0]


def test_cache_is_reused(synthetic_data_root):
    video = osp.join(synthetic_data_root, 'videos', 'train_00000.mp4')
    mtime = os.stat(video).st_mtime_ns
    with open(osp.join(synthetic_data_root, 'meta.json')) as f:
        meta = json.load(f)
    generate_synthetic_videos(synthetic_data_root, meta['num_videos'],
                              meta['num_frames'], meta['size'], meta['seed'])
    assert os.stat(video).st_mtime_ns == mtime


def test_dataset_through_mmaction_pipeline(synthetic_data_root):
    register_all_modules()  # the pipeline's transforms are MMAction2's
    with open(osp.join(synthetic_data_root, 'meta.json')) as f:
        meta = json.load(f)
    dataset = SyntheticVideoDataset(
        data_root=synthetic_data_root,
        split='val',
        num_videos=meta['num_videos'],
        num_frames=meta['num_frames'],
        frame_size=meta['size'],
        seed=meta['seed'],
        pipeline=[
            dict(type='DecordInit'),
            dict(type='UniformSample', clip_len=4, test_mode=True),
            dict(type='DecordDecode'),
            dict(type='FormatShape', input_format='NCTHW'),
            dict(type='PackActionInputs')
        ],
        test_mode=True)
    assert len(dataset) == 6 * meta['num_videos']['val']
    assert dataset.metainfo['classes'] == CLASS_NAMES
    sample = dataset[0]
    size = meta['size']
    assert sample['inputs'].shape == (1, 3, 4, size, size)
    with pytest.raises(ValueError, match='not one of the generated splits'):
        SyntheticVideoDataset(
            data_root=synthetic_data_root,
            split='test',
            num_videos=meta['num_videos'])


def test_sampled_clips_are_symmetric_about_the_middle():
    """The default frame count keeps the uniform sampling of the configs
    (8 frames) symmetric, so a clip and its reverse are equally likely."""
    from mmaction.datasets.transforms import UniformSample

    from mmvidlm.datasets.synthetic import NUM_FRAMES
    sample = UniformSample(clip_len=8, num_clips=1, test_mode=True)
    inds = sample.transform(dict(total_frames=NUM_FRAMES,
                                 start_index=0))['frame_inds']
    assert (inds + inds[::-1] == NUM_FRAMES - 1).all()


def test_generation_shows_progress(tmp_path, capfd):
    generate_synthetic_videos(
        str(tmp_path), dict(train=1), num_frames=4, size=16)
    assert '6/6' in capfd.readouterr().out  # MMEngine's progress bar
