# Copyright (c) mmvidlm authors. All rights reserved.
"""VATEX annotations -> mmvidlm's caption format (English captions).

Inputs: ``vatex_training_v1.0.json`` and ``vatex_validation_v1.0.json``
(entries with ``videoID`` = ``<youtube id>_<start>_<end>`` and ``enCap``,
10 English captions). Videos are expected as ``<videoID>.mp4``; videos
missing from ``--video-dir`` (YouTube removals) are left out when it is
given. Outputs ``caption_train.json`` and ``caption_val.json`` (the latter
is the test set of the literature) in ``--out-dir``. A split without any
video is an error.
"""
import argparse
import json
import os
import os.path as osp
import sys

from mmengine.utils import track_iter_progress


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('ann_dir', help='folder with the VATEX json files')
    parser.add_argument('--out-dir', default='data/vatex/annotations')
    parser.add_argument('--video-dir', help='drop videos not found here')
    parser.add_argument('--ext', default='.mp4', help='video file suffix')
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    for split, name in (('train', 'vatex_training_v1.0.json'),
                        ('val', 'vatex_validation_v1.0.json')):
        with open(osp.join(args.ann_dir, name)) as f:
            videos = json.load(f)
        entries = []
        for v in track_iter_progress(videos):
            video = f'{v["videoID"]}{args.ext}'
            if args.video_dir and not osp.exists(
                    osp.join(args.video_dir, video)):
                continue  # removed from YouTube
            entries.append(
                dict(
                    video=video,
                    video_id=v['videoID'],
                    captions=[c.strip() for c in v['enCap']]))
        if not entries:
            where = (f' has a video in {args.video_dir} (e.g. '
                     f'{videos[0]["videoID"]}{args.ext}; check --video-dir '
                     'and --ext)' if args.video_dir and videos else '')
            sys.exit(f'{split} would hold 0 videos: no entry of {name}'
                     f'{where}')
        path = osp.join(args.out_dir, f'caption_{split}.json')
        with open(path, 'w') as f:
            json.dump(entries, f)
        print(f'{path}: {len(entries)} of {len(videos)} videos')


if __name__ == '__main__':
    main()
