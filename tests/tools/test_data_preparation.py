# Copyright (c) mmvidlm authors. All rights reserved.
"""tools/data/*/prepare_annotations.py on miniature official files."""
import json
import subprocess
import sys

from tests.conftest import REPO_ROOT


def run(dataset, *args):
    subprocess.run([
        sys.executable, f'{REPO_ROOT}/tools/data/{dataset}/'
        'prepare_annotations.py', *map(str, args)
    ], check=True, capture_output=True)


def load(path):
    return json.loads(path.read_text())


def test_msrvtt(tmp_path):
    trainval = dict(
        videos=[dict(video_id='video0', split='train'),
                dict(video_id='video2', split='validate'),
                dict(video_id='video10', split='train')],
        sentences=[dict(video_id='video0', caption='a man sings '),
                   dict(video_id='video0', caption='a song'),
                   dict(video_id='video2', caption='a cat'),
                   dict(video_id='video10', caption='a car')])
    test = dict(videos=[dict(video_id='video9', split='test')],
                sentences=[dict(video_id='video9', caption='a dog')])
    (tmp_path / 'train_val_videodatainfo.json').write_text(
        json.dumps(trainval))
    (tmp_path / 'test_videodatainfo.json').write_text(json.dumps(test))
    (tmp_path / 'MSRVTT_train.9k.csv').write_text('video_id\nvideo10\n')
    (tmp_path / 'MSRVTT_JSFUSION_test.csv').write_text(
        'key,vid_key,video_id,sentence\nret0,msr9,video9,a dog runs\n')
    out = tmp_path / 'out'
    run('msrvtt', tmp_path, '--out-dir', out)
    assert load(out / 'caption_train.json') == [
        dict(video='video0.mp4', video_id='video0',
             captions=['a man sings', 'a song']),
        dict(video='video10.mp4', video_id='video10', captions=['a car'])
    ]
    assert [e['video_id'] for e in load(out / 'caption_val.json')] == [
        'video2'
    ]
    assert load(out / 'caption_test.json')[0]['captions'] == ['a dog']
    assert load(out / 'retrieval_train_9k.json')[0]['captions'] == ['a car']
    assert load(out / 'retrieval_test_1k.json') == [
        dict(video='video9.mp4', video_id='video9', captions=['a dog runs'])
    ]


def test_msvd(tmp_path):
    (tmp_path / 'desc.txt').write_text(
        '# comment\nabc_1_5 a man cooks\nabc_1_5 someone cooks\n'
        'xyz_2_9 a cat\n')
    (tmp_path / 'map.txt').write_text('abc_1_5 vid1\nxyz_2_9 vid1301\n')
    run('msvd', tmp_path / 'desc.txt', tmp_path / 'map.txt', '--out-dir',
        tmp_path)
    assert load(tmp_path / 'caption_train.json') == [
        dict(video='abc_1_5.avi', video_id='vid1',
             captions=['a man cooks', 'someone cooks'])
    ]
    assert load(tmp_path / 'caption_val.json') == []
    assert load(tmp_path / 'caption_test.json')[0]['video_id'] == 'vid1301'


def test_vatex(tmp_path):
    for name in ('vatex_training_v1.0.json', 'vatex_validation_v1.0.json'):
        (tmp_path / name).write_text(json.dumps([
            dict(videoID='a_000001_000011', enCap=['x ', 'y'], chCap=['z'])
        ]))
    run('vatex', tmp_path, '--out-dir', tmp_path / 'out')
    assert load(tmp_path / 'out' / 'caption_val.json') == [
        dict(video='a_000001_000011.mp4', video_id='a_000001_000011',
             captions=['x', 'y'])
    ]


def test_lsmdc(tmp_path):
    row = '0001_Movie_00.00.51.926-00.00.54.129\t1\t2\t3\t4\tSOMEONE runs.\n'
    for name in ('LSMDC16_annos_training.csv',
                 'LSMDC16_challenge_1000_publictect.csv'):
        (tmp_path / name).write_text(row)
    run('lsmdc', tmp_path, '--out-dir', tmp_path)
    assert load(tmp_path / 'retrieval_test.json') == [
        dict(video='0001_Movie/0001_Movie_00.00.51.926-00.00.54.129.avi',
             video_id='0001_Movie_00.00.51.926-00.00.54.129',
             captions=['SOMEONE runs.'])
    ]


def official_qa(video_id, qid, question, answer):
    return dict(video_id=video_id, id=qid, question=question, answer=answer,
                category_id=0)


def test_msrvtt_qa(tmp_path):
    splits = dict(
        train=[official_qa(0, 0, 'what is it', 'dog'),
               official_qa(0, 1, 'who sings', 'man'),
               official_qa(1, 2, 'what runs', 'dog'),
               official_qa(1, 3, 'what color', 'red')],
        val=[official_qa(6513, 4, 'what is it', 'cat'),
             official_qa(6513, 5, 'what is it', 'man')],
        test=[official_qa(7010, 6, 'who is it', 'man'),
              official_qa(7011, 7, 'what is it', 'cat')])
    for split, entries in splits.items():
        (tmp_path / f'{split}_qa.json').write_text(json.dumps(entries))
    out = tmp_path / 'out'
    subprocess.run([
        sys.executable,
        f'{REPO_ROOT}/tools/data/msrvtt/prepare_qa_annotations.py', tmp_path,
        '--out-dir', out, '--num-answers', '2'
    ], check=True, capture_output=True)
    # most frequent first, ties in order of appearance ('man' before 'red')
    assert load(out / 'answer_list.json') == ['dog', 'man']
    assert [e['question_id'] for e in load(out / 'qa_train.json')] == [0, 1, 2]
    assert load(out / 'qa_val.json') == [
        dict(video='video6513.mp4', video_id='video6513', question_id=5,
             question='what is it', answer='man')]
    assert [e['question_id'] for e in load(out / 'qa_trainval.json')
            ] == [0, 1, 2, 5]
    assert [e['question_id'] for e in load(out / 'qa_test.json')] == [6]

    subprocess.run([
        sys.executable,
        f'{REPO_ROOT}/tools/data/msrvtt/prepare_qa_annotations.py', tmp_path,
        '--out-dir', out, '--num-answers', '2', '--keep-all-test'
    ], check=True, capture_output=True)
    assert [e['question_id'] for e in load(out / 'qa_test.json')] == [6, 7]


def test_msrvtt_qa_bad_input(tmp_path):
    tool = f'{REPO_ROOT}/tools/data/msrvtt/prepare_qa_annotations.py'
    proc = subprocess.run([sys.executable, tool, tmp_path],
                          capture_output=True, text=True)
    assert proc.returncode != 0 and 'train_qa.json not found' in proc.stderr
    (tmp_path / 'train_qa.json').write_text(
        json.dumps([official_qa(0, 0, 'what', 'dog'), dict(id=1)]))
    proc = subprocess.run([sys.executable, tool, tmp_path],
                          capture_output=True, text=True)
    assert 'train_qa.json: entry 1 lacks video_id, question, answer' \
        in proc.stderr
    (tmp_path / 'train_qa.json').write_text('[{"id": 0,\n oops}]')
    proc = subprocess.run([sys.executable, tool, tmp_path],
                          capture_output=True, text=True)
    assert 'train_qa.json: line 2: invalid JSON' in proc.stderr
