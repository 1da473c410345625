# Copyright (c) mmvidlm authors. All rights reserved.
import numpy as np
import pytest
import torch


def test_recall_on_constructed_similarities():
    from mmvidlm.evaluation import retrieval_scores

    # 4 videos; texts 0,1 -> video 0, text 2 -> 1, 3 -> 2, 4 -> 3.
    text_to_video = [0, 0, 1, 2, 3]
    sim = np.array([
        [0.9, 0.1, 0.2, 0.3],  # t0: video 0 first            -> rank 1
        [0.1, 0.9, 0.8, 0.0],  # t1: video 0 fourth           -> rank 4
        [0.5, 0.4, 0.3, 0.2],  # t2: video 1 second           -> rank 2
        [0.0, 0.0, 0.0, 1.0],  # t3: video 2 (ties, stable)   -> rank 3
        [0.0, 0.0, 0.0, 0.1],  # t4: video 3 first            -> rank 1
    ])
    s = retrieval_scores(sim, text_to_video, topk=(1, 2, 3))
    t2v = [1, 4, 2, 3, 1]
    assert s['t2v_R@1'] == pytest.approx(40.0)
    assert s['t2v_R@2'] == pytest.approx(60.0)
    assert s['t2v_R@3'] == pytest.approx(80.0)
    assert s['t2v_MdR'] == np.median(t2v) == 2
    assert s['t2v_MnR'] == pytest.approx(np.mean(t2v))
    assert s['rsum'] == s['t2v_rsum'] == pytest.approx(180.0)
    # Video -> text: the best of a video's captions counts.
    # v0: column 0 = [.9,.1,.5,0,0] -> t0 first -> rank 1
    # v1: column 1 = [.1,.9,.4,0,0] -> t2 after .9 -> rank 2
    # v2: column 2 = [.2,.8,.3,0,0] -> t3 after .8,.3,.2 -> rank 4
    # v3: column 3 = [.3,0,.2,1,.1] -> t4 after 1,.3,.2 -> rank 4
    v2t = [1, 2, 4, 4]
    assert s['v2t_R@1'] == pytest.approx(25.0)
    assert s['v2t_R@3'] == pytest.approx(50.0)
    assert s['v2t_MdR'] == np.median(v2t)
    assert s['v2t_MnR'] == pytest.approx(np.mean(v2t))


def test_metric_from_features_in_order():
    """Per-video samples (video_feat, text_feat of all its captions)."""
    from mmvidlm.evaluation import RetrievalMetric
    metric = RetrievalMetric()
    eye = torch.eye(3)
    t1 = torch.tensor([[0.1, 0.99, 0.]])  # a caption of v0 that looks like v1
    metric.process({}, [
        dict(video_feat=eye[0], text_feat=torch.cat([eye[[0]], t1])),
        dict(video_feat=eye[1], text_feat=eye[[1]]),
    ])
    metric.process({}, [dict(video_feat=eye[2], text_feat=eye[[2]])])
    s = metric.evaluate(size=3)
    # t2v: t0 rank 1, t1 rank 2 (v1 first), t2 and t3 rank 1; v2t: every
    # video's best caption is its own (v1: t2 1.0 > t1 0.99).
    assert s['retrieval/t2v_R@1'] == pytest.approx(75.0)
    assert s['retrieval/t2v_R@5'] == pytest.approx(100.0)
    assert s['retrieval/v2t_R@1'] == pytest.approx(100.0)


def test_metric_from_reranked_scores():
    """After ITM re-ranking each direction has its own score matrix."""
    from mmvidlm.evaluation import RetrievalMetric
    metric = RetrievalMetric(topk=(1, 2))
    # 2 videos; captions t0, t1 of v0 and t2 of v1.
    t2v = torch.tensor([[0.2, 0.9], [0.9, 0.1], [0.0, 1.0]])
    # v2t is not t2v.T: v0 ranks t2 first, its own t1 second.
    v2t = torch.tensor([[0.1, 0.5, 0.7], [0.0, 0.2, 0.3]])
    metric.process(None, [
        dict(
            t2v_scores=t2v[:2],
            v2t_scores=v2t[0],
            video_feat=torch.ones(2),
            text_feat=torch.ones(2, 2)),
        dict(
            t2v_scores=t2v[2:],
            v2t_scores=v2t[1],
            video_feat=torch.ones(2),
            text_feat=torch.ones(1, 2)),
    ])
    s = metric.evaluate(size=2)
    # t2v ranks: t0 -> 2, t1 -> 1, t2 -> 1; v2t ranks: v0 -> 2, v1 -> 1.
    assert s['retrieval/t2v_R@1'] == pytest.approx(200 / 3)
    assert s['retrieval/t2v_MnR'] == pytest.approx(4 / 3)
    assert s['retrieval/v2t_R@1'] == pytest.approx(50.0)
    assert s['retrieval/v2t_R@2'] == pytest.approx(100.0)


def test_metric_refuses_tokens_that_were_not_reranked():
    from mmvidlm.evaluation import RetrievalMetric
    sample = dict(
        video_feat=torch.ones(2),
        text_feat=torch.ones(1, 2),
        video_tokens=torch.ones(3, 2))
    with pytest.raises(RuntimeError, match='RetrievalTestLoop'):
        RetrievalMetric().process(None, [sample])
