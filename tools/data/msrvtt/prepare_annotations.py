# Copyright (c) mmvidlm authors. All rights reserved.
"""MSR-VTT annotations -> mmvidlm's caption / retrieval format.

Reads from ``ann_dir`` (or its ``msrvtt_data/`` folder) whichever of these
packagings it holds (see docs/data_preparation.md):

* the official annotations ``train_val_videodatainfo.json`` and
  ``test_videodatainfo.json``, or CLIP4Clip's ``MSRVTT_data.json`` (the same
  ``videos`` with ``video_id`` and ``split``, ``sentences`` with
  ``video_id`` and ``caption``, for all 10k videos; CLIP4Clip's
  ``msrvtt_data.zip`` is what MMAction2's ``prepare_msrvtt.sh`` downloads):
  the standard captioning split, 6513 / 497 / 2990 videos;
* ``MSRVTT_train.9k.csv`` and ``MSRVTT_JSFUSION_test.csv`` (JSFusion,
  shipped in ``msrvtt_data``): the retrieval split, 9k training videos with
  all their captions (taken from the files above) and the 1k-A test videos
  with one caption each;
* or, for retrieval only, MMAction2's ``VideoTextDataset`` files written by
  its ``prepare_msrvtt.py``: ``train_9k.json`` and ``test_JSFUSION.json``
  (an object: video file name -> list of captions).

Outputs in ``--out-dir``: ``caption_{train,val,test}.json`` and
``retrieval_train_9k.json``, ``retrieval_test_1k.json`` (for the inputs
found); each a list of ``{"video": "video7.mp4", "video_id": "video7",
"captions": [...]}``. Finding none of the inputs, or an output without any
video, is an error.
"""
import argparse
import csv
import json
import os
import os.path as osp
import sys
from collections import defaultdict

from mmengine.utils import track_iter_progress

OFFICIAL = ('train_val_videodatainfo.json', 'test_videodatainfo.json')
CLIP4CLIP = 'MSRVTT_data.json'
JSFUSION = ('MSRVTT_train.9k.csv', 'MSRVTT_JSFUSION_test.csv')
MMACTION = ('train_9k.json', 'test_JSFUSION.json')
CAPTION_SPLITS = dict(train='train', validate='val', test='test')


def find(folders, *names):
    """The paths of ``names`` in the first folder holding all of them."""
    for folder in folders:
        paths = [osp.join(folder, name) for name in names]
        if all(osp.isfile(p) for p in paths):
            return paths
    return None


def entry(video_id, captions, ext):
    return dict(
        video=f'{video_id}{ext}', video_id=video_id, captions=list(captions))


def write(path, entries, source):
    if not entries:
        sys.exit(f'{path} would hold 0 videos: {source} names none; check '
                 'that it is the file described in --help')
    with open(path, 'w') as f:
        json.dump(entries, f)
    print(f'{path}: {len(entries)} videos, '
          f'{sum(len(e["captions"]) for e in entries)} captions')


def read_video_info(paths):
    """Captions and split per video from the official or CLIP4Clip JSON."""
    captions, split_of = defaultdict(list), {}
    for path in paths:
        with open(path) as f:
            info = json.load(f)
        if not isinstance(info, dict) or 'sentences' not in info:
            sys.exit(f'{path}: expected an object with "videos" and '
                     '"sentences" (MSR-VTT video data info)')
        for video in info['videos']:
            split_of[video['video_id']] = video['split']
        for sentence in track_iter_progress(info['sentences']):
            captions[sentence['video_id']].append(sentence['caption'].strip())
    return captions, split_of


def read_mmaction(path, ext):
    """Entries from MMAction2's VideoTextDataset JSON."""
    with open(path) as f:
        videos = json.load(f)
    if not isinstance(videos, dict):
        sys.exit(f'{path}: expected an object, video file name -> list of '
                 'captions (MMAction2\'s VideoTextDataset format)')
    entries = []
    for name, captions in track_iter_progress(list(videos.items())):
        video_id, suffix = osp.splitext(name)
        if not suffix:  # MMAction2's keys are video ids, decord adds .mp4
            video_id = name
        captions = [captions] if isinstance(captions, str) else captions
        entries.append(
            dict(
                video=name if suffix else f'{name}{ext}',
                video_id=video_id,
                captions=[c.strip() for c in captions]))
    return entries


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n')[0],
        epilog=__doc__.split('\n', 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('ann_dir', help='folder with the annotation files')
    parser.add_argument('--out-dir', default='data/msrvtt/annotations')
    parser.add_argument('--ext', default='.mp4', help='video file suffix')
    args = parser.parse_args()
    folders = [args.ann_dir, osp.join(args.ann_dir, 'msrvtt_data')]
    info = find(folders, *OFFICIAL) or find(folders, CLIP4CLIP)
    jsfusion = find(folders, *JSFUSION)
    mmaction = find(folders, *MMACTION)
    if not (info or mmaction):
        sys.exit(f'No MSR-VTT annotations in {args.ann_dir}: expected '
                 f'{" + ".join(OFFICIAL)} (official), {CLIP4CLIP} (+ '
                 f'{" + ".join(JSFUSION)}; CLIP4Clip\'s msrvtt_data) or '
                 f'{" + ".join(MMACTION)} (MMAction2\'s prepare_msrvtt.py)')
    os.makedirs(args.out_dir, exist_ok=True)

    if info:
        print(f'Captions and splits from {", ".join(info)}')
        captions, split_of = read_video_info(info)
        for split, short in CAPTION_SPLITS.items():
            videos = sorted((v for v, s in split_of.items() if s == split),
                            key=lambda v: int(v[len('video'):]))
            write(
                osp.join(args.out_dir, f'caption_{short}.json'),
                [entry(v, captions[v], args.ext) for v in videos],
                f'the "{split}" split of {", ".join(info)}')
    else:
        print(f'No {" / ".join(OFFICIAL)} or {CLIP4CLIP}: captioning '
              'annotations skipped.')

    train_path = osp.join(args.out_dir, 'retrieval_train_9k.json')
    test_path = osp.join(args.out_dir, 'retrieval_test_1k.json')
    if info and jsfusion:
        print(f'Retrieval split from {", ".join(jsfusion)}')
        with open(jsfusion[0]) as f:
            train = [row['video_id'] for row in csv.DictReader(f)]
        write(train_path,
              [entry(v, captions[v], args.ext) for v in train if captions[v]],
              f'{jsfusion[0]} (with captions in {", ".join(info)})')
        with open(jsfusion[1]) as f:
            test = [
                entry(row['video_id'], [row['sentence'].strip()], args.ext)
                for row in csv.DictReader(f)
            ]
        write(test_path, test, jsfusion[1])
    elif mmaction:
        print(f'Retrieval split from {", ".join(mmaction)}')
        for path, source in zip((train_path, test_path), mmaction):
            write(path, read_mmaction(source, args.ext), source)
    else:
        print(f'No {" + ".join(JSFUSION)} or {" + ".join(MMACTION)}: '
              'retrieval annotations skipped.')


if __name__ == '__main__':
    main()
