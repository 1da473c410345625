# Copyright (c) mmvidlm authors. All rights reserved.
"""mmvidlm.apis on the tiny demo configs (untrained models, CPU)."""
import decord
import numpy as np
import pytest
import torch

from mmvidlm.apis import (TextToVideoRetrievalInferencer,
                          VideoRecognitionInferencer, caption_video,
                          inference_captioner, inference_recognizer,
                          init_model, rank_texts, rank_videos,
                          recognize_long_video, recognize_video)
from mmvidlm.datasets.synthetic import CLASS_NAMES, render_clip, write_video

RECOGNITION = 'configs/demo/naive_vit-tiny_synthetic-motion.py'
CAPTION = 'configs/demo/tokenmix_blip-tiny_synthetic-caption.py'
RETRIEVAL = 'configs/demo/tokenmix_blip-tiny_synthetic-retrieval.py'


def write_videos(folder, labels, num_frames=17):
    """Synthetic videos of the given classes; their paths."""
    rng = np.random.RandomState(0)
    paths = []
    for i, label in enumerate(labels):
        frames, _ = render_clip(label, rng, num_frames, 64)
        paths.append(str(folder / f'video_{i}.mp4'))
        write_video(paths[-1], frames)
    return paths


def decoded(path):
    return decord.VideoReader(path).get_batch(
        list(range(len(decord.VideoReader(path))))).asnumpy()


@pytest.fixture(scope='module')
def videos(tmp_path_factory):
    return write_videos(tmp_path_factory.mktemp('videos'), [0, 2, 4])


@pytest.fixture(scope='module')
def recognizer():
    torch.manual_seed(0)
    return init_model(RECOGNITION)


def test_recognizer_inputs_and_mmaction_compatibility(recognizer, videos):
    sample = inference_recognizer(recognizer, videos[0])
    assert sample.pred_score.shape == (6, )  # num_classes
    # a decoded array gives what its file gives (ArrayDecode pipeline)
    from_array = inference_recognizer(recognizer, decoded(videos[0]))
    torch.testing.assert_close(from_array.pred_score, sample.pred_score)
    batch = inference_recognizer(recognizer, videos)
    assert len(batch) == 3
    torch.testing.assert_close(batch[0].pred_score, sample.pred_score)
    assert not torch.allclose(batch[0].pred_score, batch[1].pred_score)
    # code written for mmaction.apis gets the same answer
    from mmaction.apis import inference_recognizer as mmaction_inference
    torch.testing.assert_close(
        mmaction_inference(recognizer, videos[0]).pred_score,
        sample.pred_score)


def test_checkpoint_and_class_names(recognizer, tmp_path, videos):
    state = {k: v.clone() for k, v in recognizer.state_dict().items()}
    state['cls_head.fc_cls.bias'][4] = 100.  # every video is class 4
    checkpoint = tmp_path / 'model.pth'
    torch.save(
        dict(
            state_dict=state,
            meta=dict(dataset_meta=dict(classes=list(CLASS_NAMES)))),
        checkpoint)
    model = init_model(RECOGNITION, str(checkpoint))
    top = recognize_video(model, videos[1], topk=3)
    assert [name for name, _ in top][0] == CLASS_NAMES[4]
    assert len(top) == 3 and top[0][1] > top[1][1] >= top[2][1]
    assert recognize_video(recognizer, videos[1], topk=2)[0][0] in range(6)


def test_bad_inputs(recognizer, tmp_path):
    with pytest.raises(FileNotFoundError, match='missing.mp4'):
        inference_recognizer(recognizer, str(tmp_path / 'missing.mp4'))
    with pytest.raises(ValueError, match=r'\(T, H, W, 3\) uint8'):
        inference_recognizer(recognizer, np.zeros((8, 32, 32, 3)))


def test_inferencer_registry_and_outputs(recognizer, videos, tmp_path):
    from mmaction.registry import INFERENCERS as MMACTION_INFERENCERS

    from mmvidlm.registry import INFERENCERS
    assert INFERENCERS.parent is MMACTION_INFERENCERS
    inferencer = INFERENCERS.build(
        dict(type='video-recognition', model=RECOGNITION, device='cpu'))
    assert isinstance(inferencer, VideoRecognitionInferencer)
    out = VideoRecognitionInferencer(recognizer)(
        videos[:2], pred_out_file=str(tmp_path / 'pred.json'))
    assert len(out['predictions'][0]['pred_scores']) == 6
    assert (tmp_path / 'pred.json').exists()


def test_long_video_windows(recognizer, tmp_path, capsys):
    path = write_videos(tmp_path, [0], num_frames=24)[0]
    windows = recognize_long_video(recognizer, path, window=8, topk=2)
    assert [(w['start'], w['end']) for w in windows] == [(0, 8), (8, 16),
                                                         (16, 24)]
    assert '3/3' in capsys.readouterr().out  # MMEngine's progress bar
    frames = decoded(path)
    for w in windows:
        assert w['labels'] == recognize_video(
            recognizer, frames[w['start']:w['end']], topk=2)
    with pytest.raises(ValueError, match='fewer than the window'):
        recognize_long_video(recognizer, path, window=30)


def test_captioner(videos):
    model = init_model(CAPTION)
    caption = caption_video(model, videos[0])
    assert isinstance(caption, str) and caption
    samples = inference_captioner(model, [videos[0], decoded(videos[0])])
    assert [s.pred_caption for s in samples] == [caption, caption]


@pytest.mark.parametrize('itm_topk', [0, 3])
def test_retrieval_both_directions(videos, itm_topk):
    torch.manual_seed(0)
    model = init_model(RETRIEVAL)
    model.itm_topk = itm_topk
    texts = ['a red circle moves to the left', 'a blue bar turns clockwise']
    ranked = rank_videos(model, texts[0], videos)
    assert sorted(r['sample_idx'] for r in ranked) == [0, 1, 2]
    assert [r['sample']
            for r in ranked] == [videos[r['sample_idx']] for r in ranked]
    scores = [r['match_score'] for r in ranked]
    assert scores == sorted(scores, reverse=True)
    # the same pair scores the same from either side (ITC, or ITC + ITM)
    for r in ranked:
        by_video = {
            t['sample']: t['match_score']
            for t in rank_texts(model, videos[r['sample_idx']], texts)
        }
        assert by_video[texts[0]] == pytest.approx(r['match_score'], abs=1e-5)
    itc = TextToVideoRetrievalInferencer(model, prototype=videos)
    video_feat, _ = itc.encode_videos(videos)
    text_feat, _ = itc.encode_texts(texts[:1])
    cosine = (text_feat @ video_feat.t())[0]
    matches_itc = torch.allclose(
        torch.tensor([r['match_score'] for r in ranked]),
        cosine[[r['sample_idx'] for r in ranked]],
        atol=1e-5)
    assert matches_itc == (itm_topk == 0)  # ITM adds the match logit
