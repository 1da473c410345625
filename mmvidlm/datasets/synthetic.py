# Copyright (c) mmvidlm authors. All rights reserved.
"""Synthetic motion videos: real video files that need no download.

Each video shows one coloured shape on a noisy background. Four *motion*
classes come in pairs that differ only in temporal order (a circle moving
left vs right, a bar rotating clockwise vs anticlockwise): the trajectory's
centre and the start angle are drawn from symmetric distributions, so the
set of frames of a "left" clip has exactly the distribution of the frames of
a "right" clip played backwards. The clips a model sees keep that symmetry
when the sampled frames are symmetric about the middle frame: with 17
frames, MMAction2's ``UniformSample`` of 8 frames tests on frames 1, 3, ...,
15 and trains on one of (2i, 2i+1, 2i+2) per segment (with 16 frames it
would test on 0, 2, 4, 6, 8, 9, 11, 13, earlier on average, and the mean
position of the circle would give its direction away). Any model that is
invariant to frame order (per-frame ViT + mean of [CLS]) is therefore at
chance (50 %) within a pair. Two *appearance* classes (a still square, a
still triangle) are told apart by any single frame.

Frames are written as intra-coded MJPEG inside an ``.mp4`` container, so no
codec artefact (key frames vs predicted frames) depends on time order.
Every video also has captions ("a red circle moves to the left") for the
video-language tasks.
"""
import contextlib
import fcntl
import json
import os
import os.path as osp
import sys
from typing import Dict, List, Tuple

import cv2
import numpy as np

from mmvidlm.utils.progress import progress_bar

#: (shape, motion, is_motion_class)
CLASSES: Tuple[Tuple[str, str, bool], ...] = (
    ('circle', 'left', True),
    ('circle', 'right', True),
    ('bar', 'clockwise', True),
    ('bar', 'anticlockwise', True),
    ('square', 'still', False),
    ('triangle', 'still', False),
)
CLASS_NAMES = tuple(f'{shape} {motion}' for shape, motion, _ in CLASSES)
MOTION_CLASSES = tuple(i for i, c in enumerate(CLASSES) if c[2])
APPEARANCE_CLASSES = tuple(i for i, c in enumerate(CLASSES) if not c[2])
#: Motion classes that differ only in the order of the frames, by shape:
#: ``{'circle': (0, 1), 'bar': (2, 3)}`` (translation, rotation).
MOTION_PAIRS: Dict[str, Tuple[int, int]] = {
    CLASSES[i][0]: (i, i + 1)
    for i in MOTION_CLASSES[::2]
}

COLORS: Dict[str, Tuple[int, int, int]] = {  # RGB
    'red': (220, 40, 40),
    'green': (40, 200, 60),
    'blue': (50, 80, 230),
    'yellow': (230, 210, 40),
}

_CAPTIONS = {
    'left':
    ('a {c} circle moves to the left', 'a {c} ball is moving leftwards'),
    'right':
    ('a {c} circle moves to the right', 'a {c} ball is moving rightwards'),
    'clockwise':
    ('a {c} bar rotates clockwise', 'a {c} stick is turning clockwise'),
    'anticlockwise': ('a {c} bar rotates anticlockwise',
                      'a {c} stick is turning counterclockwise'),
    'still': ('a {c} {s} stays still', 'a still {c} {s} in the middle'),
}

#: Frames per generated video: odd, see the module docstring.
NUM_FRAMES = 17

#: Bumped whenever rendering changes, so that cached data sets are rebuilt.
FORMAT_VERSION = 2


def captions_for(label: int, color: str) -> List[str]:
    """The reference captions of a video of class ``label``."""
    shape, motion, _ = CLASSES[label]
    return [t.format(c=color, s=shape) for t in _CAPTIONS[motion]]


def render_clip(label: int, rng: np.random.RandomState, num_frames: int,
                size: int) -> Tuple[np.ndarray, str]:
    """Render one clip of class ``label``.

    Args:
        label (int): Class index into :data:`CLASSES`.
        rng (RandomState): Source of all randomness of this clip.
        num_frames (int): Frames of the clip.
        size (int): Frame height and width in pixels.

    Returns:
        tuple: ``(frames, color)``, frames an RGB uint8 array of shape
        (T, size, size, 3) and the colour name.
    """
    shape, motion, _ = CLASSES[label]
    color = list(COLORS)[rng.randint(len(COLORS))]
    rgb = COLORS[color]
    base = rng.randint(0, 40, size=(size, size, 3)).astype(np.uint8)
    # Shapes a few patches wide: circle, square and triangle must stay
    # distinguishable after downscaling to the 32-pixel inputs of the demos.
    r = size // 5
    cy = int(rng.uniform(0.35, 0.65) * size)
    # Symmetric trajectories: the centre does not depend on the direction.
    cx = rng.uniform(0.4, 0.6) * size
    step = size * 0.45 / max(num_frames - 1, 1)
    theta0 = rng.uniform(0, np.pi)
    omega = np.pi * 0.9 / max(num_frames - 1, 1)
    frames = []
    for t in range(num_frames):
        frame = base.copy()
        offset = t - (num_frames - 1) / 2
        if shape == 'circle':
            sign = -1 if motion == 'left' else 1
            x = int(round(cx + sign * offset * step))
            cv2.circle(frame, (x, cy), r, rgb, -1, cv2.LINE_AA)
        elif shape == 'bar':
            sign = 1 if motion == 'clockwise' else -1
            # image y grows downwards: a growing angle turns clockwise
            th = theta0 + sign * offset * omega
            dx, dy = np.cos(th) * size * 0.3, np.sin(th) * size * 0.3
            c = size / 2
            cv2.line(frame, (int(c - dx), int(c - dy)),
                     (int(c + dx), int(c + dy)), rgb, max(2, size // 16),
                     cv2.LINE_AA)
        elif shape == 'square':
            x = int(cx)
            cv2.rectangle(frame, (x - r, cy - r), (x + r, cy + r), rgb, -1)
        else:  # triangle
            x = int(cx)
            pts = np.array([[x, cy - r], [x - r, cy + r], [x + r, cy + r]],
                           np.int32)
            cv2.fillPoly(frame, [pts], rgb, cv2.LINE_AA)
        frames.append(frame)
    return np.stack(frames), color


@contextlib.contextmanager
def _quiet_native_stderr():
    """Silence C-level stderr: FFmpeg reports, for every file, that an
    MJPEG stream in MP4 is tagged 'mp4v' (MP4's own tag for it)."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(os.devnull, 'w') as devnull:
        os.dup2(devnull.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def write_video(path: str, frames: np.ndarray, fps: int = 8) -> None:
    """Write RGB frames (T, H, W, 3) as an intra-coded MJPEG ``.mp4``."""
    h, w = frames.shape[1:3]
    tmp = f'{path}.tmp.mp4'
    with _quiet_native_stderr():
        writer = cv2.VideoWriter(tmp, cv2.VideoWriter_fourcc(*'MJPG'), fps,
                                 (w, h))
    if not writer.isOpened():
        raise RuntimeError(f'OpenCV cannot write video {path}')
    for frame in frames:
        writer.write(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    writer.release()
    os.replace(tmp, path)  # atomic: no half-written video is ever visible


def generate_synthetic_videos(root: str,
                              num_videos: Dict[str, int],
                              num_frames: int = NUM_FRAMES,
                              size: int = 64,
                              seed: int = 0) -> dict:
    """Write the synthetic data set under ``root`` unless it is there.

    Layout::

        root/videos/{split}_{index:05d}.mp4
        root/{split}_list.txt       # MMAction2 VideoDataset: "file label"
        root/{split}_captions.json  # [{"video", "label", "captions"}, ...]
        root/meta.json              # generation parameters

    Generation is deterministic in ``seed`` and guarded by a file lock, so
    several processes of a distributed job can call it at once.

    Args:
        root (str): Output folder (a cache: reused when its ``meta.json``
            matches the parameters).
        num_videos (dict): Videos per class for each split, e.g.
            ``dict(train=20, val=10)``.
        num_frames (int): Frames per video. Defaults to
            :data:`NUM_FRAMES`.
        size (int): Frame size in pixels. Defaults to 64.
        seed (int): Random seed. Defaults to 0.

    Returns:
        dict: The meta data written to ``meta.json``.
    """
    meta = dict(
        format_version=FORMAT_VERSION,
        num_videos=dict(num_videos),
        num_frames=num_frames,
        size=size,
        seed=seed,
        classes=list(CLASS_NAMES),
        motion_classes=list(MOTION_CLASSES),
        appearance_classes=list(APPEARANCE_CLASSES))
    os.makedirs(osp.join(root, 'videos'), exist_ok=True)
    meta_path = osp.join(root, 'meta.json')
    with open(osp.join(root, '.lock'), 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if osp.exists(meta_path):
            with open(meta_path) as f:
                if json.load(f) == meta:
                    return meta
        total = len(CLASSES) * sum(num_videos.values())
        with progress_bar(total, f'Generating {total} synthetic videos '
                          f'in {root}') as update:
            for split_id, (split,
                           per_class) in enumerate(sorted(num_videos.items())):
                rng = np.random.RandomState([seed, split_id])
                lines, captions = [], []
                labels = [
                    c for c in range(len(CLASSES)) for _ in range(per_class)
                ]
                for index, label in enumerate(labels):
                    frames, color = render_clip(label, rng, num_frames, size)
                    name = f'{split}_{index:05d}.mp4'
                    write_video(osp.join(root, 'videos', name), frames)
                    update()
                    lines.append(f'{name} {label}\n')
                    captions.append(
                        dict(
                            video=name,
                            label=label,
                            captions=captions_for(label, color)))
                with open(osp.join(root, f'{split}_list.txt'), 'w') as f:
                    f.writelines(lines)
                with open(osp.join(root, f'{split}_captions.json'), 'w') as f:
                    json.dump(captions, f, indent=1)
        with open(meta_path, 'w') as f:
            json.dump(meta, f, indent=1)
    return meta
