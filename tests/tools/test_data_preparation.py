# Copyright (c) mmvidlm authors. All rights reserved.
"""tools/data/*/prepare_annotations.py on miniature official files."""
import csv
import json
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT


def run(dataset, *args, check=True):
    result = subprocess.run([
        sys.executable, f'{REPO_ROOT}/tools/data/{dataset}/'
        'prepare_annotations.py', *map(str, args)
    ],
                            capture_output=True,
                            text=True)
    if check:
        assert result.returncode == 0, result.stderr
        assert 'elapsed' in result.stdout  # MMEngine's progress bar
    return result


def fails(dataset, *args):
    """The tool's error message (it must exit with an error)."""
    result = run(dataset, *args, check=False)
    assert result.returncode != 0, result.stdout
    return result.stderr


def load(path):
    return json.loads(path.read_text())


def msrvtt_info(videos):
    """MSR-VTT video data info: ``videos`` is {video_id: (split, [caps])}."""
    return dict(
        videos=[dict(video_id=v, split=s) for v, (s, _) in videos.items()],
        sentences=[
            dict(video_id=v, caption=c) for v, (_, caps) in videos.items()
            for c in caps
        ])


TRAIN_VAL = dict(
    video0=('train', ['a man sings ', 'a song']),
    video2=('validate', ['a cat']),
    video10=('train', ['a car']))
TEST = dict(video9=('test', ['a dog']))


def write_jsfusion(folder):
    (folder / 'MSRVTT_train.9k.csv').write_text('video_id\nvideo10\n')
    (folder / 'MSRVTT_JSFUSION_test.csv').write_text(
        'key,vid_key,video_id,sentence\nret0,msr9,video9,a dog runs\n')


def check_msrvtt_outputs(out):
    assert load(out / 'caption_train.json') == [
        dict(
            video='video0.mp4',
            video_id='video0',
            captions=['a man sings', 'a song']),
        dict(video='video10.mp4', video_id='video10', captions=['a car'])
    ]
    assert [e['video_id']
            for e in load(out / 'caption_val.json')] == ['video2']
    assert load(out / 'caption_test.json')[0]['captions'] == ['a dog']
    assert load(out / 'retrieval_train_9k.json')[0]['captions'] == ['a car']
    assert load(out / 'retrieval_test_1k.json') == [
        dict(video='video9.mp4', video_id='video9', captions=['a dog runs'])
    ]


def test_msrvtt_official(tmp_path):
    (tmp_path / 'train_val_videodatainfo.json').write_text(
        json.dumps(msrvtt_info(TRAIN_VAL)))
    (tmp_path /
     'test_videodatainfo.json').write_text(json.dumps(msrvtt_info(TEST)))
    write_jsfusion(tmp_path)
    run('msrvtt', tmp_path, '--out-dir', tmp_path / 'out')
    check_msrvtt_outputs(tmp_path / 'out')


def test_msrvtt_clip4clip_packaging(tmp_path):
    # msrvtt_data.zip of CLIP4Clip, unpacked as MMAction2's script does
    data = tmp_path / 'msrvtt_data'
    data.mkdir()
    (data / 'MSRVTT_data.json').write_text(
        json.dumps(msrvtt_info(dict(TRAIN_VAL, **TEST))))
    write_jsfusion(data)
    run('msrvtt', tmp_path, '--out-dir', tmp_path / 'out')
    check_msrvtt_outputs(tmp_path / 'out')


def test_msrvtt_mmaction_video_text_json(tmp_path):
    # MMAction2's prepare_msrvtt.py: {video id or file name: [captions]}
    (tmp_path / 'train_9k.json').write_text(
        json.dumps({
            'video10': ['a car ', 'a red car'],
            'video0.mp4': ['x']
        }))
    (tmp_path /
     'test_JSFUSION.json').write_text(json.dumps({'video9': ['a dog runs']}))
    result = run('msrvtt', tmp_path, '--out-dir', tmp_path / 'out')
    assert 'captioning annotations skipped' in result.stdout
    assert load(tmp_path / 'out' / 'retrieval_train_9k.json') == [
        dict(
            video='video10.mp4',
            video_id='video10',
            captions=['a car', 'a red car']),
        dict(video='video0.mp4', video_id='video0', captions=['x'])
    ]
    assert load(tmp_path / 'out' / 'retrieval_test_1k.json') == [
        dict(video='video9.mp4', video_id='video9', captions=['a dog runs'])
    ]


def test_msrvtt_without_annotations_fails(tmp_path):
    (tmp_path / 'MSRVTT_train.9k.csv').write_text('video_id\nvideo10\n')
    message = fails('msrvtt', tmp_path, '--out-dir', tmp_path / 'out')
    assert 'No MSR-VTT annotations' in message
    for name in ('train_val_videodatainfo.json', 'MSRVTT_data.json',
                 'train_9k.json'):
        assert name in message


def test_msrvtt_empty_split_fails(tmp_path):
    data = tmp_path / 'msrvtt_data'
    data.mkdir()
    (data / 'MSRVTT_data.json').write_text(json.dumps(msrvtt_info(TEST)))
    message = fails('msrvtt', tmp_path, '--out-dir', tmp_path / 'out')
    assert 'caption_train.json would hold 0 videos' in message


def msvd_mapping(folder):
    (folder /
     'map.txt').write_text('abc_1_5 vid1\nqrs_3_4 vid1201\nxyz_2_9 vid1301\n')
    return folder / 'map.txt'


def check_msvd_outputs(out):
    assert load(out / 'caption_train.json') == [
        dict(
            video='abc_1_5.avi',
            video_id='vid1',
            captions=['a man cooks', 'someone cooks'])
    ]
    assert load(out / 'caption_val.json')[0]['captions'] == ['a boat']
    assert load(out / 'caption_test.json')[0]['video_id'] == 'vid1301'


def test_msvd_descriptions_txt(tmp_path):
    (tmp_path / 'desc.txt').write_text(
        '# comment\nabc_1_5 a man cooks\nabc_1_5 someone cooks\n'
        'qrs_3_4 a boat\nxyz_2_9 a cat\n')
    run('msvd', tmp_path / 'desc.txt', msvd_mapping(tmp_path), '--out-dir',
        tmp_path)
    check_msvd_outputs(tmp_path)


MSVD_COLUMNS = [
    'VideoID', 'Start', 'End', 'WorkerID', 'Source', 'AnnotationTime',
    'Language', 'Description'
]


def write_msvd_csv(path, rows):
    with open(path, 'w', newline='', encoding='utf-8') as f:
        writer = csv.writer(f)
        writer.writerow(MSVD_COLUMNS)
        for video, start, end, language, text in rows:
            writer.writerow(
                [video, start, end, 7, 'clean', 20, language, text])


def test_msvd_official_csv(tmp_path):
    corpus = tmp_path / 'MSR Video Description Corpus.csv'
    write_msvd_csv(corpus, [
        ('abc', 1, 5, 'English', 'a man cooks'),
        ('abc', 1, 5, 'German', 'ein Mann kocht'),
        ('abc', 1, 5, 'English', 'someone cooks'),
        ('abc', 1, 5, 'English', ''),
        ('qrs', 3, 4, 'English', 'a boat'),
        ('xyz', 2, 9, 'English', 'a cat, small'),
    ])
    run('msvd', corpus, msvd_mapping(tmp_path), '--out-dir', tmp_path)
    check_msvd_outputs(tmp_path)


def test_msvd_mismatched_files_fail(tmp_path):
    corpus = tmp_path / 'corpus.csv'
    write_msvd_csv(corpus, [('other', 1, 5, 'English', 'a man cooks')])
    message = fails('msvd', corpus, msvd_mapping(tmp_path), '--out-dir',
                    tmp_path)
    assert 'train would hold 0 videos' in message and 'other_1_5' in message
    (tmp_path / 'empty.txt').write_text('# nothing\n')
    message = fails('msvd', tmp_path / 'empty.txt', msvd_mapping(tmp_path))
    assert 'No captions read from' in message


def test_vatex(tmp_path):
    for name in ('vatex_training_v1.0.json', 'vatex_validation_v1.0.json'):
        (tmp_path / name).write_text(
            json.dumps([
                dict(
                    videoID='a_000001_000011', enCap=['x ', 'y'], chCap=['z'])
            ]))
    run('vatex', tmp_path, '--out-dir', tmp_path / 'out')
    assert load(tmp_path / 'out' / 'caption_val.json') == [
        dict(
            video='a_000001_000011.mp4',
            video_id='a_000001_000011',
            captions=['x', 'y'])
    ]
    (tmp_path / 'videos').mkdir()
    message = fails('vatex', tmp_path, '--video-dir', tmp_path / 'videos',
                    '--out-dir', tmp_path / 'out')
    assert 'train would hold 0 videos' in message
    assert 'check --video-dir' in message


@pytest.mark.parametrize('row, ok', [
    ('0001_Movie_00.00.51.926-00.00.54.129\t1\t2\t3\t4\tSOMEONE runs.\n',
     True), ('\n', False)
])
def test_lsmdc(tmp_path, row, ok):
    for name in ('LSMDC16_annos_training.csv',
                 'LSMDC16_challenge_1000_publictect.csv'):
        (tmp_path / name).write_text(row)
    if not ok:
        assert 'holds no' in fails('lsmdc', tmp_path, '--out-dir', tmp_path)
        return
    run('lsmdc', tmp_path, '--out-dir', tmp_path)
    assert load(tmp_path / 'retrieval_test.json') == [
        dict(
            video='0001_Movie/0001_Movie_00.00.51.926-00.00.54.129.avi',
            video_id='0001_Movie_00.00.51.926-00.00.54.129',
            captions=['SOMEONE runs.'])
    ]


def official_qa(video_id, qid, question, answer):
    return dict(
        video_id=video_id,
        id=qid,
        question=question,
        answer=answer,
        category_id=0)


def test_msrvtt_qa(tmp_path):
    splits = dict(
        train=[
            official_qa(0, 0, 'what is it', 'dog'),
            official_qa(0, 1, 'who sings', 'man'),
            official_qa(1, 2, 'what runs', 'dog'),
            official_qa(1, 3, 'what color', 'red')
        ],
        val=[
            official_qa(6513, 4, 'what is it', 'cat'),
            official_qa(6513, 5, 'what is it', 'man')
        ],
        test=[
            official_qa(7010, 6, 'who is it', 'man'),
            official_qa(7011, 7, 'what is it', 'cat')
        ])
    for split, entries in splits.items():
        (tmp_path / f'{split}_qa.json').write_text(json.dumps(entries))
    out = tmp_path / 'out'
    subprocess.run([
        sys.executable,
        f'{REPO_ROOT}/tools/data/msrvtt/prepare_qa_annotations.py', tmp_path,
        '--out-dir', out, '--num-answers', '2'
    ],
                   check=True,
                   capture_output=True)
    # most frequent first, ties in order of appearance ('man' before 'red')
    assert load(out / 'answer_list.json') == ['dog', 'man']
    assert [e['question_id'] for e in load(out / 'qa_train.json')] == [0, 1, 2]
    assert load(out / 'qa_val.json') == [
        dict(
            video='video6513.mp4',
            video_id='video6513',
            question_id=5,
            question='what is it',
            answer='man')
    ]
    assert [e['question_id']
            for e in load(out / 'qa_trainval.json')] == [0, 1, 2, 5]
    assert [e['question_id'] for e in load(out / 'qa_test.json')] == [6]

    subprocess.run([
        sys.executable,
        f'{REPO_ROOT}/tools/data/msrvtt/prepare_qa_annotations.py', tmp_path,
        '--out-dir', out, '--num-answers', '2', '--keep-all-test'
    ],
                   check=True,
                   capture_output=True)
    assert [e['question_id'] for e in load(out / 'qa_test.json')] == [6, 7]


def test_msrvtt_qa_bad_input(tmp_path):
    tool = f'{REPO_ROOT}/tools/data/msrvtt/prepare_qa_annotations.py'
    proc = subprocess.run([sys.executable, tool, tmp_path],
                          capture_output=True,
                          text=True)
    assert proc.returncode != 0 and 'train_qa.json not found' in proc.stderr
    (tmp_path / 'train_qa.json').write_text(
        json.dumps([official_qa(0, 0, 'what', 'dog'),
                    dict(id=1)]))
    proc = subprocess.run([sys.executable, tool, tmp_path],
                          capture_output=True,
                          text=True)
    assert 'train_qa.json: entry 1 lacks video_id, question, answer' \
        in proc.stderr
    (tmp_path / 'train_qa.json').write_text('[{"id": 0,\n oops}]')
    proc = subprocess.run([sys.executable, tool, tmp_path],
                          capture_output=True,
                          text=True)
    assert 'train_qa.json: line 2: invalid JSON' in proc.stderr
