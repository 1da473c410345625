# Copyright (c) mmvidlm authors. All rights reserved.
"""Caption a video.

    python demo/demo_caption.py VIDEO CONFIG CHECKPOINT [--device cpu]
"""
import argparse


def parse_args():
    parser = argparse.ArgumentParser(description='mmvidlm caption demo')
    parser.add_argument('video', nargs='+', help='video file(s)')
    parser.add_argument('config', help='config file of a captioner')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--device', default='cpu', help='e.g. cpu, cuda:0')
    return parser.parse_args()


def main():
    args = parse_args()
    from mmvidlm.apis import inference_captioner, init_model
    model = init_model(args.config, args.checkpoint, args.device)
    for video, sample in zip(args.video,
                             inference_captioner(model, args.video)):
        print(f'{video}: {sample.pred_caption}')


if __name__ == '__main__':
    main()
