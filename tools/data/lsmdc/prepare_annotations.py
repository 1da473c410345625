# Copyright (c) mmvidlm authors. All rights reserved.
"""LSMDC 2016 annotations -> mmvidlm's retrieval format.

Inputs: ``LSMDC16_annos_training.csv`` and
``LSMDC16_challenge_1000_publictect.csv`` (tab separated: clip id, four
time stamps, sentence). Clip ``0001_American_Beauty_00.00.51.926-...`` is
expected at ``0001_American_Beauty/<clip id>.avi`` under the video folder.
Outputs ``retrieval_train.json`` (one sample per sentence) and
``retrieval_test.json`` (the 1000 test clips) in ``--out-dir``. A file
without any clip is an error.
"""
import argparse
import csv
import json
import os
import os.path as osp
import sys

from mmengine.utils import track_iter_progress

FILES = dict(
    train='LSMDC16_annos_training.csv',
    test='LSMDC16_challenge_1000_publictect.csv')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('ann_dir', help='folder with the LSMDC csv files')
    parser.add_argument('--out-dir', default='data/lsmdc/annotations')
    parser.add_argument('--ext', default='.avi', help='video file suffix')
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    for split, name in FILES.items():
        entries = []
        with open(osp.join(args.ann_dir, name), encoding='utf-8') as f:
            rows = list(csv.reader(f, delimiter='\t', quoting=csv.QUOTE_NONE))
        for row in track_iter_progress(rows):
            if len(row) >= 2:
                clip, sentence = row[0].strip(), row[-1].strip()
                movie = clip.rsplit('_', 1)[0]
                entries.append(
                    dict(
                        video=f'{movie}/{clip}{args.ext}',
                        video_id=clip,
                        captions=[sentence]))
        if not entries:
            sys.exit(f'{name} holds no "<clip id>\t...\t<sentence>" row: '
                     'expected the tab-separated LSMDC 2016 file')
        path = osp.join(args.out_dir, f'retrieval_{split}.json')
        with open(path, 'w') as f:
            json.dump(entries, f)
        print(f'{path}: {len(entries)} clips')


if __name__ == '__main__':
    main()
