# Copyright (c) mmvidlm authors. All rights reserved.
"""Long and large videos decode their sampled frames with bounded memory.

The pipeline is built as a config builds it (``default_scope='mmvidlm'``),
so it is mmvidlm's ``DecordInit``, which opens local videos from their path.
MMAction2's reads the whole file into memory first and decord copies it
again. Measured on the 2-core CPU machine with :func:`measure` (256x256
MJPEG noise): peak RSS grew by 76 MB for a 19 MB file with MMAction2's
``DecordInit`` (157 MB for 38 MB in a fresh process: about 4x the file
size), and by 9, 16 and 12 MB for 19, 38 and 75 MB files with mmvidlm's.
"""
import multiprocessing
import os.path as osp
import resource

import cv2
import numpy as np
from mmengine.dataset import Compose

from mmvidlm.utils import register_all_modules

register_all_modules()


def decode_in_child(warm_up, path, queue):
    """Decode 8 frames of ``path`` in a forked process (it starts with the
    parent's modules and its own peak RSS) and report the peak's growth."""
    pipeline = Compose([
        dict(type='DecordInit'),
        dict(type='UniformSample', clip_len=8, num_clips=1, test_mode=True),
        dict(type='DecordDecode')
    ])

    def load(filename):
        return pipeline(dict(filename=filename, start_index=0, modality='RGB'))

    load(warm_up)  # FFmpeg's decoder and threads
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    results = load(path)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put(
        dict(
            total_frames=results['total_frames'],
            shape=list(results['imgs'][0].shape),
            num_imgs=len(results['imgs']),
            rss_growth_mb=(after - before) / 1024))


def write_video(path, num_frames, size, text=False):
    """An MJPEG video: noise frames (large files, written fast) or a ramp
    with the frame number (compressible: long videos)."""
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'MJPG'), 25,
                             (size, size))
    noise = np.random.RandomState(0).randint(0, 256, (8, size, size, 3),
                                             np.uint8)
    ramp = np.add.outer(np.arange(size), np.arange(size)) * 255 // (2 * size)
    ramp = ramp.astype(np.uint8)
    for t in range(num_frames):
        if text:
            frame = np.stack([ramp,
                              np.roll(ramp, t % size, 1), 255 - ramp], -1)
            cv2.putText(frame, str(t), (2, size // 2),
                        cv2.FONT_HERSHEY_SIMPLEX, 0.4, (255, 255, 255), 1)
        else:
            frame = noise[t % 8]
        writer.write(frame)
    writer.release()


def measure(tmp_path, path):
    warm_up = str(tmp_path / 'warm_up.avi')
    write_video(warm_up, 16, 256)
    context = multiprocessing.get_context('fork')
    queue = context.Queue()
    child = context.Process(
        target=decode_in_child, args=(warm_up, path, queue))
    child.start()
    report = queue.get(timeout=120)
    child.join()
    return report


def test_large_file_memory_is_bounded_by_the_sampled_frames(tmp_path):
    path = str(tmp_path / 'large.avi')
    write_video(path, 800, 256)  # about 38 MB
    file_mb = osp.getsize(path) / 2**20
    assert file_mb > 30
    report = measure(tmp_path, path)
    assert report['total_frames'] == 800
    assert report['num_imgs'] == 8 and report['shape'] == [256, 256, 3]
    # reading the whole file takes about 4x its size
    assert report['rss_growth_mb'] < file_mb, (report, file_mb)


def test_long_video_decodes_only_sampled_frames(tmp_path):
    path = str(tmp_path / 'four_minutes.avi')
    num_frames = 25 * 60 * 4
    write_video(path, num_frames, 64, text=True)
    report = measure(tmp_path, path)
    assert report['total_frames'] == num_frames
    assert report['num_imgs'] == 8 and report['shape'] == [64, 64, 3]
    all_frames_mb = num_frames * 64 * 64 * 3 / 2**20  # 70 MiB
    assert report['rss_growth_mb'] < all_frames_mb / 10, report
