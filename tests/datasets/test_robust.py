# Copyright (c) mmvidlm authors. All rights reserved.
import json
import os.path as osp
from unittest import mock

import numpy as np
import pytest
from torch.utils.data import DataLoader

from mmvidlm.datasets import (AnnotationError, RobustVideoDataset,
                              VideoReadError, check_caption_annotations,
                              load_json_annotations)
from mmvidlm.datasets.synthetic import write_video
from mmvidlm.engine import SkippedVideosHook
from mmvidlm.utils import register_all_modules

register_all_modules()

PIPELINE = [
    dict(type='DecordInit'),
    dict(type='UniformSample', clip_len=4, num_clips=1),
    dict(type='DecordDecode'),
]
#: file -> how it is broken
FAULTS = {
    'missing.mp4': 'not there',
    'empty.mp4': 'zero bytes',
    'truncated.mp4': 'first half of a good file',
    'corrupt.mp4': 'bytes scrambled after the header',
}


@pytest.fixture(scope='module')
def video_root(tmp_path_factory):
    """Eight good videos and the four broken ones of :data:`FAULTS`."""
    root = tmp_path_factory.mktemp('robust_videos')
    rng = np.random.RandomState(0)
    for i in range(8):
        write_video(
            str(root / f'good_{i}.mp4'),
            rng.randint(0, 255, (8, 32, 32, 3), np.uint8))
    good = (root / 'good_0.mp4').read_bytes()
    (root / 'empty.mp4').write_bytes(b'')
    (root / 'truncated.mp4').write_bytes(good[:len(good) // 2])
    scrambled = bytearray(good)
    scrambled[200::7] = bytes((b * 31 + 7) % 256 for b in scrambled[200::7])
    (root / 'corrupt.mp4').write_bytes(bytes(scrambled))
    names = [f'good_{i}.mp4' for i in range(8)] + list(FAULTS)
    (root / 'list.txt').write_text(''.join(f'{name} {i % 3}\n'
                                           for i, name in enumerate(names)))
    return root


def build(root, **kwargs):
    return RobustVideoDataset(
        ann_file=str(root / 'list.txt'),
        pipeline=PIPELINE,
        data_prefix=dict(video=str(root)),
        num_classes=3,
        **kwargs)


def test_training_skips_and_names_bad_videos(video_root):
    dataset = build(video_root)
    with mock.patch('mmvidlm.datasets.robust.print_log') as log:
        samples = [dataset[i] for i in range(len(dataset))]
    assert all(osp.basename(s['filename']).startswith('good') for s in samples)
    warned = {
        osp.basename(call.args[0].split()[3])
        for call in log.call_args_list
    }
    assert warned == set(FAULTS)  # each broken file named
    assert dataset.pop_skipped_count() == log.call_count
    assert dataset.pop_skipped_count() == 0  # reset


def test_skips_are_counted_across_workers(video_root):
    dataset = build(video_root)
    loader = DataLoader(
        dataset, batch_size=4, num_workers=2, collate_fn=lambda batch: batch)
    assert sum(len(batch) for batch in loader) == len(dataset)
    assert dataset.pop_skipped_count() >= len(FAULTS)


def test_too_many_skips_is_an_error(video_root):
    dataset = build(video_root, max_skipped_videos=2)
    with pytest.raises(VideoReadError, match='max_skipped_videos=2'):
        for i in range(len(dataset)):
            dataset[i]


@pytest.mark.parametrize('name', sorted(FAULTS))
def test_testing_never_skips(video_root, name):
    dataset = build(video_root, test_mode=True)
    index = [
        osp.basename(dataset.get_data_info(i)['filename'])
        for i in range(len(dataset))
    ].index(name)
    with pytest.raises(VideoReadError, match=name):
        dataset[index]


def test_refetching_is_mmengine_s(video_root):
    """A skipped sample is replaced by BaseDataset's own refetch loop: its
    ``_rand_another`` draws the index, ``max_refetch`` bounds the draws."""
    dataset = build(video_root, max_refetch=3)
    bad = [
        i for i in range(len(dataset)) if not osp.basename(
            dataset.get_data_info(i)['filename']).startswith('good')
    ]
    with mock.patch.object(dataset, '_rand_another',
                           side_effect=bad[1:] + bad[:1]) as draw, \
            mock.patch('mmvidlm.datasets.robust.print_log'):
        with pytest.raises(Exception, match='after 3'):
            dataset[bad[0]]
    assert draw.call_count == 4  # the first index and 3 refetches
    assert dataset.pop_skipped_count() == 4


def test_hook_logs_epoch_count_and_resets(video_root):
    dataset = build(video_root)
    for i in range(len(dataset)):
        dataset[i]
    runner = mock.MagicMock()
    runner.train_dataloader.dataset.datasets = [dataset]  # a ConcatDataset
    del runner.train_dataloader.dataset.pop_skipped_count
    del runner.train_dataloader.dataset.dataset
    runner.epoch = 0
    SkippedVideosHook().after_train_epoch(runner)
    message = runner.logger.warning.call_args.args[0]
    assert message.startswith('Epoch 1: ') and 'skipped' in message
    assert int(message.split()[2]) >= len(FAULTS)
    assert dataset.pop_skipped_count() == 0


@pytest.mark.parametrize('line, problem', [
    ('good_0.mp4', 'expected "path label"'),
    ('good_0.mp4 1 2', 'expected "path label"'),
    ('good_0.mp4 cat', "label 'cat' is not an integer"),
    ('good_0.mp4 1.5', "label '1.5' is not an integer"),
    ('good_0.mp4 3', r'unknown label 3: must be in \[0, 3\)'),
    ('good_0.mp4 -1', 'unknown label -1'),
    ('good_0.mp4 --1', "label '--1' is not an integer"),
    ('good_0.mp4 \u00b2', "label '\u00b2' is not an integer"),
    ('good_0.mp4 \u0663', "label '\u0663' is not an integer")
])
def test_annotation_errors_name_file_and_line(tmp_path, line, problem):
    ann = tmp_path / 'list.txt'
    ann.write_text(f'good_1.mp4 0\n\n{line}\n')
    with pytest.raises(AnnotationError, match=f'list.txt, line 3: {problem}'):
        RobustVideoDataset(ann_file=str(ann), pipeline=[], num_classes=3)


@pytest.mark.parametrize('text', ['', '\n  \n\t\n'])
def test_empty_list_names_the_file(tmp_path, text):
    ann = tmp_path / 'list.txt'
    ann.write_text(text)
    with pytest.raises(
            AnnotationError,
            match='list.txt, all lines: no samples: the file is '
            'empty or holds only blank lines'):
        RobustVideoDataset(ann_file=str(ann), pipeline=[], num_classes=3)


def test_byte_order_mark_is_not_part_of_the_first_path(tmp_path):
    ann = tmp_path / 'list.txt'
    ann.write_bytes('a.mp4 1\nb.mp4 2\n'.encode('utf-8-sig'))
    dataset = RobustVideoDataset(
        ann_file=str(ann),
        pipeline=[],
        data_prefix=dict(video='root'),
        num_classes=3)
    assert dataset.get_data_info(0)['filename'] == osp.join('root', 'a.mp4')


@pytest.mark.parametrize('text, problem', [
    ('', 'all lines: the file is empty'),
    (' \n', 'all lines: the file is empty'),
    ('[]', 'top level: the list of entries is empty'),
    ('{"video0.mp4": ["a cat"]}', "top level: expected a list of entries, "
     "got an object \\(MMAction2's VideoTextDataset format"),
])
def test_empty_or_foreign_json_names_the_file(tmp_path, text, problem):
    ann = tmp_path / 'ann.json'
    ann.write_text(text)
    with pytest.raises(AnnotationError, match=f'ann.json, {problem}'):
        load_json_annotations(str(ann))


def test_caption_annotation_checks(tmp_path):
    good = [dict(video='a.mp4', captions=['a cat'], label=1)]
    check_caption_annotations(good, 'ann.json', num_classes=2)
    for entry, problem in [
        (dict(video='b.mp4', captions=[]), "'captions' of b.mp4 must be a "
         'non-empty list'),
        (dict(video='b.mp4'), "'captions' of b.mp4 must be"),
        (dict(captions=['x']), "missing or empty 'video'"),
        (dict(video='b.mp4', captions=['  ']), 'empty or non-text caption'),
        (dict(video='b.mp4', captions=['x'], label=5), 'unknown label 5'),
    ]:
        with pytest.raises(
                AnnotationError, match=f'ann.json, entry 1: '
                f'{problem}'):
            check_caption_annotations(
                good + [entry], 'ann.json', num_classes=2)
    broken = tmp_path / 'broken.json'
    broken.write_text(json.dumps(good, indent=1)[:-2] + ',,]')
    with pytest.raises(AnnotationError, match='broken.json, line 8: invalid'):
        load_json_annotations(str(broken))
