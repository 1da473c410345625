# Copyright (c) mmvidlm authors. All rights reserved.
"""MSVD annotations -> mmvidlm's caption format.

Inputs (see docs/data_preparation.md):
* the captions of the Microsoft Research Video Description Corpus, either
  ``MSR Video Description Corpus.csv`` (the official release: columns
  ``VideoID, Start, End, WorkerID, Source, AnnotationTime, Language,
  Description``; only ``--language`` rows are kept) or
  ``AllVideoDescriptions.txt`` (``"<clip> <caption>"`` per line, ``#``
  comments). A clip is ``<VideoID>_<Start>_<End>``, the name of its ``.avi``
  file;
* ``youtube_mapping.txt``: ``"<clip> vid<N>"`` per line, N in 1..1970.

The standard split (Venugopalan et al. 2015): vid1-1200 train, vid1201-1300
val, vid1301-1970 test. Outputs ``caption_{train,val,test}.json`` in
``--out-dir``: ``{"video": "<clip>.avi", "video_id": "vid<N>",
"captions": [...]}``. A split without any video is an error.
"""
import argparse
import csv
import json
import os
import os.path as osp
import sys
from collections import defaultdict

from mmengine.utils import track_iter_progress

SPLITS = dict(train=(1, 1200), val=(1201, 1300), test=(1301, 1970))
CSV_COLUMNS = ('VideoID', 'Start', 'End', 'Language', 'Description')


def read_csv(path: str, language: str) -> dict:
    """Captions per clip from the corpus CSV (rows of other languages and
    empty descriptions are left out)."""
    captions = defaultdict(list)
    with open(path, encoding='utf-8-sig', newline='') as f:
        reader = csv.DictReader(f)
        missing = [c for c in CSV_COLUMNS if c not in reader.fieldnames]
        if missing:
            sys.exit(f'{path}: columns {missing} are missing; expected the '
                     'official corpus CSV with the columns '
                     f'{", ".join(CSV_COLUMNS)}')
        for row in reader:
            description = (row['Description'] or '').strip()
            if row['Language'] == language and description:
                clip = f'{row["VideoID"]}_{row["Start"]}_{row["End"]}'
                captions[clip].append(description)
    return captions


def read_txt(path: str) -> dict:
    """Captions per clip from ``AllVideoDescriptions.txt``."""
    captions = defaultdict(list)
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            clip, _, caption = line.strip().partition(' ')
            if caption.strip():
                captions[clip].append(caption.strip())
    return captions


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        'descriptions',
        help='"MSR Video Description Corpus.csv" or AllVideoDescriptions.txt')
    parser.add_argument('mapping', help='youtube_mapping.txt')
    parser.add_argument('--out-dir', default='data/msvd/annotations')
    parser.add_argument('--ext', default='.avi', help='video file suffix')
    parser.add_argument(
        '--language', default='English', help='captions kept from the CSV')
    args = parser.parse_args()

    with open(args.descriptions, encoding='utf-8-sig') as f:
        is_csv = f.readline().startswith('VideoID,')
    captions = (
        read_csv(args.descriptions, args.language)
        if is_csv else read_txt(args.descriptions))
    if not captions:
        sys.exit(f'No captions read from {args.descriptions}: pass '
                 '"MSR Video Description Corpus.csv" (header VideoID,Start,'
                 'End,...,Language,Description) or AllVideoDescriptions.txt '
                 '("<clip> <caption>" lines)')
    number = {}
    with open(args.mapping) as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            fields = line.split()
            if len(fields) != 2 or not fields[1].startswith('vid'):
                sys.exit(f'{args.mapping}, line {lineno}: expected '
                         f'"<clip> vid<N>" (youtube_mapping.txt), got '
                         f'{line.strip()!r}')
            number[fields[0]] = int(fields[1][len('vid'):])

    os.makedirs(args.out_dir, exist_ok=True)
    for split, (first, last) in SPLITS.items():
        clips = sorted((c for c, n in number.items() if first <= n <= last),
                       key=number.get)
        print(f'{split}: {len(clips)} clips of {args.mapping}')
        entries = [
            dict(
                video=f'{c}{args.ext}',
                video_id=f'vid{number[c]}',
                captions=captions[c]) for c in track_iter_progress(clips)
            if captions.get(c)
        ]
        if not entries:
            sys.exit(
                f'{split} would hold 0 videos: none of the clips vid{first}-'
                f'vid{last} of {args.mapping} (e.g. {clips[:1]}) has a '
                f'caption in {args.descriptions} (e.g. '
                f'{next(iter(captions))!r}); pass the mapping of this '
                'corpus')
        path = osp.join(args.out_dir, f'caption_{split}.json')
        with open(path, 'w') as f:
            json.dump(entries, f)
        print(f'{path}: {len(entries)} videos, '
              f'{sum(len(e["captions"]) for e in entries)} captions')


if __name__ == '__main__':
    main()
