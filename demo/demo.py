# Copyright (c) mmvidlm authors. All rights reserved.
"""Recognise the action in a video (MMAction2's demo/demo.py arguments).

    python demo/demo.py VIDEO CONFIG CHECKPOINT [--label-map FILE]
        [--out-file OUT.mp4] [--window FRAMES [--stride FRAMES]]

Prints the top-5 labels with their scores. With ``--window`` a long video is
recognised window by window (with a progress bar). ``--out-file`` writes the
video with the top label (of each window) drawn on its frames.
"""
import argparse
import os
import os.path as osp

from mmengine.config import DictAction
from mmengine.fileio import list_from_file


def parse_args():
    parser = argparse.ArgumentParser(description='mmvidlm recognition demo')
    parser.add_argument('video', help='video file')
    parser.add_argument('config', help='config file')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--label-map',
        help='class names, one per line (default: those saved in the '
        'checkpoint, else class indices)')
    parser.add_argument(
        '--out-file', help='write the video with the top label on it (.mp4)')
    parser.add_argument('--topk', type=int, default=5, help='labels printed')
    parser.add_argument(
        '--window',
        type=int,
        help='long-video mode: recognise every window of this many frames')
    parser.add_argument(
        '--stride',
        type=int,
        help='frames between two windows (default: the window)')
    parser.add_argument('--device', default='cpu', help='e.g. cpu, cuda:0')
    parser.add_argument(
        '--fps', type=int, default=8, help='frame rate of --out-file')
    parser.add_argument(
        '--font-scale', type=float, default=0.5, help='of the drawn label')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, key=value')
    return parser.parse_args()


def draw_labels(video: str, out_file: str, spans: list, fps: int,
                font_scale: float) -> None:
    """Write ``video`` to ``out_file`` with a text on the frames of each
    ``(start, end, text)`` span."""
    import cv2
    import decord
    frames = decord.VideoReader(video)
    h, w = frames[0].shape[:2]
    os.makedirs(osp.dirname(osp.abspath(out_file)), exist_ok=True)
    writer = cv2.VideoWriter(out_file, cv2.VideoWriter_fourcc(*'mp4v'), fps,
                             (w, h))
    if not writer.isOpened():
        raise RuntimeError(f'OpenCV cannot write {out_file}.')
    for start, end, text in spans:
        for frame in frames.get_batch(list(range(start, end))).asnumpy():
            frame = cv2.cvtColor(frame, cv2.COLOR_RGB2BGR)
            cv2.putText(frame, text, (4, int(24 * font_scale) + 4),
                        cv2.FONT_HERSHEY_SIMPLEX, font_scale, (255, 255, 255),
                        1, cv2.LINE_AA)
            writer.write(frame)
    writer.release()


def main():
    args = parse_args()
    from mmengine.config import Config

    from mmvidlm.apis import init_model, recognize_long_video, recognize_video
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    model = init_model(cfg, args.checkpoint, args.device)
    labels = list_from_file(args.label_map) if args.label_map else None

    if args.window:
        windows = recognize_long_video(model, args.video, args.window,
                                       args.stride, args.topk, labels)
        for w in windows:
            best = ', '.join(f'{label}: {score:.2f}'
                             for label, score in w['labels'])
            print(f'frames {w["start"]}-{w["end"] - 1}: {best}')
        spans = [(w['start'],
                  (w['end'] if w is windows[-1] else windows[i + 1]['start']),
                  '{}: {:.2f}'.format(*w['labels'][0]))
                 for i, w in enumerate(windows)]
    else:
        top = recognize_video(model, args.video, args.topk, labels)
        print(f'The top-{len(top)} labels with their scores:')
        for label, score in top:
            print(f'{label}: {score:.2f}')
        import decord
        spans = [(0, len(decord.VideoReader(args.video)),
                  f'{top[0][0]}: {top[0][1]:.2f}')]
    if args.out_file:
        draw_labels(args.video, args.out_file, spans, args.fps,
                    args.font_scale)
        print(f'Wrote {args.out_file}')


if __name__ == '__main__':
    main()
