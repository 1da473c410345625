# Copyright (c) mmvidlm authors. All rights reserved.
import json

import pytest


@pytest.fixture(scope='module')
def ann_file(tmp_path_factory):
    path = tmp_path_factory.mktemp('ann') / 'captions.json'
    entries = [
        dict(video='a.mp4', captions=['one', 'two', 'three']),
        dict(video='sub/b.avi', video_id='video7', captions=['four']),
        dict(video='c.mp4', captions='five'),
    ]
    path.write_text(json.dumps(entries))
    return str(path)


def test_caption_dataset_counts(ann_file):
    from mmvidlm.datasets import VideoCaptionDataset
    train = VideoCaptionDataset(ann_file, data_prefix=dict(video='/v'))
    assert len(train) == 5  # one sample per caption
    assert [train.get_data_info(i)['text']
            for i in range(5)] == ['one', 'two', 'three', 'four', 'five']
    info = train.get_data_info(3)
    assert info['filename'] == '/v/sub/b.avi'
    assert (info['video_id'], info['video_idx']) == ('video7', 1)
    test = VideoCaptionDataset(
        ann_file, data_prefix=dict(video='/v'), test_mode=True)
    assert len(test) == 3  # one sample per video, every reference
    assert test.get_data_info(0)['gt_captions'] == ['one', 'two', 'three']
    assert test.get_data_info(0)['video_id'] == 'a'
    assert 'text' not in test.get_data_info(0)


def test_retrieval_dataset_counts(ann_file):
    from mmvidlm.datasets import VideoRetrievalDataset
    assert len(VideoRetrievalDataset(ann_file)) == 5
    test = VideoRetrievalDataset(ann_file, test_mode=True)
    assert len(test) == 3
    assert test.get_data_info(0)['text'] == ['one', 'two', 'three']
    assert test.get_data_info(2)['text'] == ['five']


def test_bad_annotation_names_entry(tmp_path):
    from mmvidlm.datasets import AnnotationError, VideoCaptionDataset
    path = tmp_path / 'bad.json'
    path.write_text(json.dumps([dict(video='a.mp4', captions=[])]))
    with pytest.raises(AnnotationError, match='entry 0'):
        VideoCaptionDataset(str(path))


def test_synthetic_video_text_through_pipeline(synthetic_data_root):
    """The synthetic videos, decoded by decord through MMAction2's
    pipeline, as captioning and retrieval samples."""
    from mmvidlm.datasets import (SyntheticCaptionDataset,
                                  SyntheticRetrievalDataset)
    from mmvidlm.utils import register_all_modules
    from tests.conftest import SYNTHETIC_TEST_DATA as DATA
    register_all_modules()
    pipeline = [
        dict(type='DecordInit'),
        dict(type='UniformSample', clip_len=4, num_clips=1, test_mode=True),
        dict(type='DecordDecode'),
        dict(type='FormatShape', input_format='NCTHW'),
        dict(
            type='PackActionInputs',
            algorithm_keys=('text', 'gt_captions'),
            meta_keys=('video_id', 'video_idx')),
    ]
    kwargs = dict(data_root=synthetic_data_root, pipeline=pipeline, **DATA)
    num_train = 6 * DATA['num_videos']['train']
    num_val = 6 * DATA['num_videos']['val']
    train = SyntheticCaptionDataset(split='train', **kwargs)
    assert len(train) == 2 * num_train  # two captions per video
    test = SyntheticCaptionDataset(split='val', test_mode=True, **kwargs)
    assert len(test) == num_val
    sample = test[0]
    assert sample['inputs'].shape == (1, 3, 4, 32, 32)
    assert len(sample['data_samples'].gt_captions) == 2
    assert sample['data_samples'].video_id == 'val_00000'
    assert isinstance(train[1]['data_samples'].text, str)
    retrieval = SyntheticRetrievalDataset(
        split='val', test_mode=True, **kwargs)
    assert len(retrieval) == num_val
    assert len(retrieval[0]['data_samples'].text) == 2
    with pytest.raises(ValueError, match='split'):
        SyntheticRetrievalDataset(split='test', **kwargs)
