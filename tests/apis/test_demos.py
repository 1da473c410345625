# Copyright (c) mmvidlm authors. All rights reserved.
"""demo/*.py as a user runs them, on synthetic videos and checkpoints of
untrained tiny models."""
import os
import os.path as osp
import subprocess
import sys

import decord
import pytest
import torch

from mmvidlm.apis import init_model
from mmvidlm.datasets.synthetic import CLASS_NAMES
from .test_inference import CAPTION, RECOGNITION, RETRIEVAL, write_videos

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def run_demo(script, *args):
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(
            p for p in (REPO_ROOT, os.environ.get('PYTHONPATH')) if p),
        OMP_NUM_THREADS='1',
        CUDA_VISIBLE_DEVICES='')
    proc = subprocess.run([sys.executable, f'demo/{script}', *map(str, args)],
                          cwd=REPO_ROOT,
                          env=env,
                          stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT,
                          text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout[-4000:]
    return proc.stdout


def save_checkpoint(config, path, classes=None, edit=None):
    torch.manual_seed(0)
    state = init_model(config).state_dict()
    if edit:
        edit(state)
    meta = dict(dataset_meta=dict(classes=classes)) if classes else {}
    torch.save(dict(state_dict=state, meta=meta), path)
    return path


@pytest.fixture(scope='module')
def recognizer_checkpoint(tmp_path_factory):
    """Every video is class 4 (bias), class names in the meta data."""

    def favour_class_4(state):
        state['cls_head.fc_cls.bias'][4] = 100.

    return save_checkpoint(
        RECOGNITION,
        tmp_path_factory.mktemp('ckpt') / 'recognizer.pth',
        list(CLASS_NAMES),
        edit=favour_class_4)


def test_demo_top5_and_out_file(tmp_path, recognizer_checkpoint):
    video = write_videos(tmp_path, [1])[0]
    out_file = tmp_path / 'out' / 'labelled.mp4'
    out = run_demo('demo.py', video, RECOGNITION, recognizer_checkpoint,
                   '--out-file', out_file)
    lines = out.split('The top-5 labels with their scores:\n')[1].split('\n')
    assert lines[0].startswith(f'{CLASS_NAMES[4]}: 1.00')
    assert all(':' in line for line in lines[:5])
    written = decord.VideoReader(str(out_file))
    assert len(written) == 17 and written[0].shape == (64, 64, 3)

    label_map = tmp_path / 'labels.txt'
    label_map.write_text('\n'.join(f'action {i}' for i in range(6)))
    out = run_demo('demo.py', video, RECOGNITION, recognizer_checkpoint,
                   '--label-map', label_map, '--topk', '2')
    assert 'action 4: 1.00' in out


def test_demo_long_video(tmp_path, recognizer_checkpoint):
    video = write_videos(tmp_path, [0], num_frames=32)[0]
    out = run_demo('demo.py', video, RECOGNITION, recognizer_checkpoint,
                   '--window', 16, '--stride', 8, '--out-file',
                   tmp_path / 'long.mp4')
    assert '3/3' in out  # the progress bar
    for span in ('frames 0-15', 'frames 8-23', 'frames 16-31'):
        assert f'{span}: {CLASS_NAMES[4]}: 1.00' in out
    assert len(decord.VideoReader(str(tmp_path / 'long.mp4'))) == 32


def test_demo_caption(tmp_path):
    video = write_videos(tmp_path, [0])[0]
    checkpoint = save_checkpoint(CAPTION, tmp_path / 'captioner.pth')
    out = run_demo('demo_caption.py', video, CAPTION, checkpoint)
    line = [x for x in out.splitlines() if x.startswith(f'{video}: ')]
    assert len(line) == 1 and len(line[0]) > len(video) + 2


def test_demo_retrieval(tmp_path):
    videos = write_videos(tmp_path, [0, 2, 4])
    checkpoint = save_checkpoint(RETRIEVAL, tmp_path / 'retriever.pth')
    out = run_demo('demo_retrieval.py', tmp_path, 'a red circle', RETRIEVAL,
                   checkpoint)
    assert 'The top-3 videos for "a red circle":' in out
    ranked = [
        x.split(' ')[1] for x in out.splitlines()
        if x[:3] in ('1. ', '2. ', '3. ')
    ]
    assert sorted(ranked) == sorted(videos)
