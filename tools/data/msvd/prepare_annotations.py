# Copyright (c) mmvidlm authors. All rights reserved.
"""MSVD annotations -> mmvidlm's caption format.

Inputs (see docs/data_preparation.md):
* ``AllVideoDescriptions.txt`` from the Microsoft Research Video
  Description Corpus: ``"<clip> <caption>"`` per line (``#`` comments), the
  clip named ``<youtube id>_<start>_<end>`` as its ``.avi`` file;
* ``youtube_mapping.txt``: ``"<clip> vid<N>"`` per line, N in 1..1970.

The standard split (Venugopalan et al. 2015): vid1-1200 train, vid1201-1300
val, vid1301-1970 test. Outputs ``caption_{train,val,test}.json`` in
``--out-dir``: ``{"video": "<clip>.avi", "video_id": "vid<N>",
"captions": [...]}``.
"""
import argparse
import json
import os
import os.path as osp
from collections import defaultdict

SPLITS = dict(train=(1, 1200), val=(1201, 1300), test=(1301, 1970))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('descriptions', help='AllVideoDescriptions.txt')
    parser.add_argument('mapping', help='youtube_mapping.txt')
    parser.add_argument('--out-dir', default='data/msvd/annotations')
    parser.add_argument('--ext', default='.avi', help='video file suffix')
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)

    captions = defaultdict(list)
    with open(args.descriptions, encoding='utf-8') as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            clip, _, caption = line.strip().partition(' ')
            captions[clip].append(caption.strip())
    number = {}
    with open(args.mapping) as f:
        for line in f:
            if line.strip():
                clip, vid = line.split()
                number[clip] = int(vid[len('vid'):])
    for split, (first, last) in SPLITS.items():
        clips = sorted((c for c, n in number.items() if first <= n <= last),
                       key=number.get)
        entries = [
            dict(video=f'{c}{args.ext}', video_id=f'vid{number[c]}',
                 captions=captions[c]) for c in clips if captions[c]
        ]
        path = osp.join(args.out_dir, f'caption_{split}.json')
        with open(path, 'w') as f:
            json.dump(entries, f)
        print(f'{path}: {len(entries)} videos, '
              f'{sum(len(e["captions"]) for e in entries)} captions')


if __name__ == '__main__':
    main()
