# Copyright (c) mmvidlm authors. All rights reserved.
"""Rank the videos of a folder for a text.

    python demo/demo_retrieval.py VIDEO_DIR "a text" CONFIG CHECKPOINT
        [--topk 5] [--device cpu]

Scores are the retriever's: ITC similarity, re-ranked by ITM when the
config sets ``model.itm_topk`` (``--cfg-options model.itm_topk=16``).
"""
import argparse

from mmengine.config import DictAction


def parse_args():
    parser = argparse.ArgumentParser(description='mmvidlm retrieval demo')
    parser.add_argument('video_dir', help='folder of videos (the gallery)')
    parser.add_argument('text', help='the text query')
    parser.add_argument('config', help='config file of a retriever')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--topk', type=int, default=5, help='videos listed')
    parser.add_argument('--device', default='cpu', help='e.g. cpu, cuda:0')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, key=value')
    return parser.parse_args()


def main():
    args = parse_args()
    from mmengine.config import Config

    from mmvidlm.apis import init_model, rank_videos
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    model = init_model(cfg, args.checkpoint, args.device)
    ranked = rank_videos(model, args.text, args.video_dir, args.topk)
    print(f'The top-{len(ranked)} videos for "{args.text}":')
    for rank, match in enumerate(ranked, 1):
        print(f'{rank}. {match["sample"]} ({match["match_score"]:.3f})')


if __name__ == '__main__':
    main()
