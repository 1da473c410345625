# Copyright (c) mmvidlm authors. All rights reserved.
"""A 10-minute video decodes its 8 sampled frames without decoding the rest.

MMAction2's ``DecordDecode`` reads only ``frame_inds`` (``get_batch``). The
video (64x64, 25 fps, 15000 frames, MJPEG, ~11 MB) is written frame by
frame, so the test itself never holds it decoded. Measured on the 2-core
CPU machine: peak RSS grows by ~55 MB while the pipeline opens the file and
decodes 8 frames (the file's bytes, the demuxer's index, FFmpeg buffers);
decoding all frames would hold 184 MB of pixels on top of that.
"""
import json
import subprocess
import sys

import cv2
import numpy as np

SIZE, FPS, MINUTES = 64, 25, 10
NUM_FRAMES = FPS * 60 * MINUTES

MEASURE = '''
import json, resource, sys
import mmvidlm.datasets  # noqa: F401
from mmaction.datasets.transforms import (DecordDecode, DecordInit,
                                          UniformSample)
pipeline = [DecordInit(), UniformSample(clip_len=8, num_clips=1,
            test_mode=True), DecordDecode()]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
results = dict(filename=sys.argv[1], start_index=0, modality='RGB')
for transform in pipeline:
    results = transform(results)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(dict(total_frames=results['total_frames'],
                      shape=list(results['imgs'][0].shape),
                      num_imgs=len(results['imgs']),
                      rss_growth_mb=(after - before) / 1024)))
'''


def write_long_video(path):
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'MJPG'), FPS,
                             (SIZE, SIZE))
    ramp = np.add.outer(np.arange(SIZE), np.arange(SIZE)) * 255 // (2 * SIZE)
    ramp = ramp.astype(np.uint8)
    for t in range(NUM_FRAMES):
        frame = np.stack([ramp, np.roll(ramp, t % SIZE, 1), 255 - ramp], -1)
        cv2.putText(frame, str(t), (2, SIZE // 2), cv2.FONT_HERSHEY_SIMPLEX,
                    0.4, (255, 255, 255), 1)
        writer.write(frame)
    writer.release()


def test_ten_minute_video_decodes_only_sampled_frames(tmp_path):
    path = str(tmp_path / 'ten_minutes.mp4')
    write_long_video(path)
    out = subprocess.run([sys.executable, '-c', MEASURE, path],
                         capture_output=True,
                         text=True,
                         check=True)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report['total_frames'] == NUM_FRAMES
    assert report['num_imgs'] == 8 and report['shape'] == [SIZE, SIZE, 3]
    all_frames_mb = NUM_FRAMES * SIZE * SIZE * 3 / 2**20  # 176 MiB
    assert report['rss_growth_mb'] < all_frames_mb / 2, report
