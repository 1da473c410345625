# Copyright (c) mmvidlm authors. All rights reserved.
"""VideoQADataset on small files in MSRVTT-QA's formats, and the synthetic
question answering task."""
import json
import os.path as osp
from collections import Counter

import pytest
from mmengine.config import Config

from tests.conftest import REPO_ROOT, SYNTHETIC_TEST_DATA


def write(path, entries):
    path.write_text(json.dumps(entries))
    return str(path)


def test_official_msrvtt_qa_file(tmp_path):
    from mmvidlm.datasets import VideoQADataset
    ann = write(tmp_path / 'test_qa.json', [
        dict(
            answer='dog',
            category_id=0,
            id=17,
            question='What is running?',
            video_id=7010),
        dict(
            answer='red',
            category_id=0,
            id=18,
            question='what (color) is the car~',
            video_id=7011),
    ])
    ds = VideoQADataset(
        ann, data_prefix=dict(video='videos'), test_mode=True, lazy_init=False)
    first, second = ds.get_data_info(0), ds.get_data_info(1)
    assert first['filename'] == osp.join('videos', 'video7010.mp4')
    assert first['video_id'] == 'video7010'
    assert first['text'] == 'what is running?'  # BLIP's cleaning
    assert first['gt_answer'] == ['dog']
    assert first['question_id'] == 17
    assert first['question_type'] == 'what'
    assert second['text'] == 'what color is the car'
    assert second['question_type'] == 'color'


def test_reference_and_prepared_formats(tmp_path):
    from mmvidlm.datasets import VideoQADataset
    ann = write(tmp_path / 'qa.json', [
        dict(
            video_id='video3',
            question_id=5,
            question='who sings',
            answer='man'),
        dict(
            video='clips/v9.avi',
            question='how',
            answer=['fast', 'quick'],
            question_type='custom'),
    ])
    ds = VideoQADataset(ann, video_ext='.mkv')
    assert ds.get_data_info(0)['filename'] == 'video3.mkv'
    assert ds.get_data_info(0)['question_type'] == 'who'
    info = ds.get_data_info(1)
    assert info['video_id'] == 'clips/v9' and info['question_id'] == 1
    assert info['gt_answer'] == ['fast', 'quick']
    assert info['question_type'] == 'custom'


@pytest.mark.parametrize('entry, problem', [
    (dict(video_id=1, question='what'), 'missing answer'),
    (dict(answer='a', question='what'), 'missing video_id'),
    (dict(video_id=1, question='what', answer=''), 'answer must be'),
    (dict(video_id=1, question='', answer='a'), 'question must be'),
])
def test_bad_entries_name_file_and_entry(tmp_path, entry, problem):
    from mmvidlm.datasets import AnnotationError, VideoQADataset
    ann = write(tmp_path / 'bad.json',
                [dict(video_id=0, question='ok', answer='a'), entry])
    with pytest.raises(AnnotationError, match=problem) as error:
        VideoQADataset(ann)
    assert 'bad.json' in str(error.value) and 'entry 1' in str(error.value)


def test_synthetic_questions(synthetic_data_root):
    from mmvidlm.datasets import SYNTHETIC_QA_ANSWERS, SyntheticQADataset
    from mmvidlm.datasets.synthetic import CLASSES
    ds = SyntheticQADataset(
        synthetic_data_root,
        split='train',
        test_mode=True,
        **{
            k: v
            for k, v in SYNTHETIC_TEST_DATA.items()
        })
    infos = [ds.get_data_info(i) for i in range(len(ds))]
    per_class = SYNTHETIC_TEST_DATA['num_videos']['train']
    moving = sum(c[2] for c in CLASSES)
    assert len(infos) == per_class * (2 * len(CLASSES) + moving)
    types = Counter(i['question_type'] for i in infos)
    assert types == dict(
        color=per_class * len(CLASSES),
        shape=per_class * len(CLASSES),
        direction=per_class * moving)
    with open(osp.join(synthetic_data_root, 'train_captions.json')) as f:
        videos = {v['video']: v for v in json.load(f)}
    for info in infos:
        video = videos[osp.basename(info['filename'])]
        shape, motion, _ = CLASSES[video['label']]
        answer, = info['gt_answer']
        if info['question_type'] == 'color':
            assert all(answer in c.split() for c in video['captions'])
        elif info['question_type'] == 'shape':
            assert answer == shape
        else:  # the question names the shape, the answer is its motion
            assert answer == motion and shape in info['text']
        assert answer in SYNTHETIC_QA_ANSWERS
    # every answer occurs; the demo's candidates are exactly these
    assert {a
            for i in infos
            for a in i['gt_answer']} == set(SYNTHETIC_QA_ANSWERS)
    cfg = Config.fromfile(
        osp.join(REPO_ROOT, 'configs/_base_/datasets/synthetic_qa.py'))
    assert tuple(cfg.qa_answer_list) == SYNTHETIC_QA_ANSWERS
