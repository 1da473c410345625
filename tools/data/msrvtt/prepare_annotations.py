# Copyright (c) mmvidlm authors. All rights reserved.
"""MSR-VTT annotations -> mmvidlm's caption / retrieval format.

Inputs (see docs/data_preparation.md):
* ``train_val_videodatainfo.json`` and ``test_videodatainfo.json``, the
  official annotations (``videos`` with ``video_id`` and ``split``;
  ``sentences`` with ``video_id`` and ``caption``): the standard captioning
  split, 6513 / 497 / 2990 videos.
* ``MSRVTT_train.9k.csv`` and ``MSRVTT_JSFUSION_test.csv`` (JSFusion /
  CLIP4Clip): the retrieval split, 9k training videos with all their
  captions and the 1k-A test videos with one caption each.

Outputs in ``--out-dir``: ``caption_{train,val,test}.json``,
``retrieval_train_9k.json``, ``retrieval_test_1k.json``; each a list of
``{"video": "video7.mp4", "video_id": "video7", "captions": [...]}``.
"""
import argparse
import csv
import json
import os
import os.path as osp
from collections import defaultdict


def entry(video_id, captions, ext):
    return dict(video=f'{video_id}{ext}', video_id=video_id,
                captions=list(captions))


def write(path, entries):
    with open(path, 'w') as f:
        json.dump(entries, f)
    print(f'{path}: {len(entries)} videos, '
          f'{sum(len(e["captions"]) for e in entries)} captions')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('ann_dir', help='folder with the official files')
    parser.add_argument('--out-dir', default='data/msrvtt/annotations')
    parser.add_argument('--ext', default='.mp4', help='video file suffix')
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)

    captions, split_of = defaultdict(list), {}
    for name in ('train_val_videodatainfo.json', 'test_videodatainfo.json'):
        with open(osp.join(args.ann_dir, name)) as f:
            info = json.load(f)
        for video in info['videos']:
            split_of[video['video_id']] = video['split']
        for sentence in info['sentences']:
            captions[sentence['video_id']].append(sentence['caption'].strip())
    splits = dict(train='train', validate='val', test='test')
    for split, short in splits.items():
        videos = sorted((v for v, s in split_of.items() if s == split),
                        key=lambda v: int(v[len('video'):]))
        write(osp.join(args.out_dir, f'caption_{short}.json'),
              [entry(v, captions[v], args.ext) for v in videos])

    train_csv = osp.join(args.ann_dir, 'MSRVTT_train.9k.csv')
    test_csv = osp.join(args.ann_dir, 'MSRVTT_JSFUSION_test.csv')
    if not (osp.exists(train_csv) and osp.exists(test_csv)):
        print('MSRVTT_train.9k.csv / MSRVTT_JSFUSION_test.csv not found: '
              'retrieval annotations skipped.')
        return
    with open(train_csv) as f:
        train = [row['video_id'] for row in csv.DictReader(f)]
    write(osp.join(args.out_dir, 'retrieval_train_9k.json'),
          [entry(v, captions[v], args.ext) for v in train])
    with open(test_csv) as f:
        test = [entry(row['video_id'], [row['sentence'].strip()], args.ext)
                for row in csv.DictReader(f)]
    write(osp.join(args.out_dir, 'retrieval_test_1k.json'), test)


if __name__ == '__main__':
    main()
