# Copyright (c) mmvidlm authors. All rights reserved.
"""MSRVTT-QA's official files -> mmvidlm's question answering format.

Inputs (``ann_dir``): the official ``train_qa.json``, ``val_qa.json`` and
``test_qa.json`` (Xu et al. 2017), each a list of
``{"video_id": 7, "id": 0, "question": ..., "answer": ..., "category_id"}``.

As the Token Mixing reference prepares them
(``annotation/msrvtt_qa/MSRVTT-QA/{preprocess_anno,generate_blip_anno}.py``):

* ``answer_list.json``: the ``--num-answers`` (4000) most frequent training
  answers, most frequent first (ties in order of first appearance);
* questions whose answer is not in that list are dropped from every split
  (also from test, as the reference does; ``--keep-all-test`` keeps them,
  the rank model then always misses them);
* ``qa_trainval.json``: train and val together, the reference's training
  set; ``qa_train.json``, ``qa_val.json``, ``qa_test.json`` per split.

Each output entry: ``{"video": "video7.mp4", "video_id": "video7",
"question_id": 0, "question": ..., "answer": ...}``; ``VideoQADataset``
cleans the question and derives its type as the reference does.
"""
import argparse
import json
import os
import os.path as osp
from collections import Counter

SPLITS = ('train', 'val', 'test')
FIELDS = ('video_id', 'id', 'question', 'answer')


def load_split(path):
    """The official entries of one split, checked."""
    if not osp.isfile(path):
        raise SystemExit(f'{path} not found: download MSRVTT-QA and pass '
                         'the folder holding {train,val,test}_qa.json.')
    try:
        with open(path) as f:
            entries = json.load(f)
    except json.JSONDecodeError as e:
        raise SystemExit(f'{path}: line {e.lineno}: invalid JSON ({e.msg})')
    if not isinstance(entries, list):
        raise SystemExit(f'{path}: expected a list of questions')
    for i, entry in enumerate(entries):
        missing = [
            k for k in FIELDS if not isinstance(entry, dict) or k not in entry
        ]
        if missing:
            raise SystemExit(f'{path}: entry {i} lacks {", ".join(missing)}')
        if not isinstance(entry['answer'], str) or not entry['answer']:
            raise SystemExit(f'{path}: entry {i} has no answer string')
    return entries


def answer_list(train, num_answers):
    """The most frequent training answers, most frequent first."""
    return [
        a for a, _ in Counter(e['answer']
                              for e in train).most_common(num_answers)
    ]


def convert(entry, ext):
    video_id = entry['video_id']
    video_id = (f'video{video_id}'
                if isinstance(video_id, int) else str(video_id))
    return dict(
        video=f'{video_id}{ext}',
        video_id=video_id,
        question_id=entry['id'],
        question=entry['question'],
        answer=entry['answer'])


def prepare(ann_dir,
            out_dir,
            num_answers=4000,
            keep_all_test=False,
            ext='.mp4'):
    """Write the answer list and the splits; returns their sizes."""
    splits = {s: load_split(osp.join(ann_dir, f'{s}_qa.json')) for s in SPLITS}
    answers = answer_list(splits['train'], num_answers)
    known = set(answers)
    os.makedirs(out_dir, exist_ok=True)
    sizes = {'answer_list': len(answers)}
    with open(osp.join(out_dir, 'answer_list.json'), 'w') as f:
        json.dump(answers, f)
    kept = {}
    for split, entries in splits.items():
        keep_all = split == 'test' and keep_all_test
        kept[split] = [
            convert(e, ext) for e in entries
            if keep_all or e['answer'] in known
        ]
        print(f'{split}: {len(kept[split])} of {len(entries)} questions '
              'kept' + ('' if keep_all else
                        f' (answer among the {len(answers)} answers)'))
    kept['trainval'] = kept['train'] + kept['val']
    for split, entries in kept.items():
        with open(osp.join(out_dir, f'qa_{split}.json'), 'w') as f:
            json.dump(entries, f)
        sizes[split] = len(entries)
    return sizes


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('ann_dir', help='folder with {train,val,test}_qa.json')
    parser.add_argument('--out-dir', default='data/msrvtt/annotations')
    parser.add_argument(
        '--num-answers',
        type=int,
        default=4000,
        help='size of the answer list (reference: 4000)')
    parser.add_argument(
        '--keep-all-test',
        action='store_true',
        help='keep test questions whose answer is not in '
        'the answer list (the reference drops them)')
    parser.add_argument('--ext', default='.mp4', help='video file suffix')
    args = parser.parse_args()
    if args.num_answers < 1:
        parser.error('--num-answers must be >= 1')
    prepare(args.ann_dir, args.out_dir, args.num_answers, args.keep_all_test,
            args.ext)


if __name__ == '__main__':
    main()
