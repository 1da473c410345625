# Copyright (c) mmvidlm authors. All rights reserved.
"""Progress bars of the long silent steps: synthetic data generation and
ITM re-ranking; on the main process only."""
import torch
from mmengine.structures import BaseDataElement

from mmvidlm.datasets import generate_synthetic_videos
from mmvidlm.utils import progress


def test_generation_shows_progress_once(tmp_path, capsys):
    generate_synthetic_videos(str(tmp_path), dict(train=1, val=1), 4, 16)
    out = capsys.readouterr().out
    assert f'Generating 12 synthetic videos in {tmp_path}' in out
    assert '12/12' in out and 'ETA' in out
    generate_synthetic_videos(str(tmp_path), dict(train=1, val=1), 4, 16)
    assert capsys.readouterr().out == ''  # cached: nothing to do


def test_only_the_main_process_shows_progress(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(progress, 'is_main_process', lambda: False)
    generate_synthetic_videos(str(tmp_path), dict(train=1), 4, 16)
    assert capsys.readouterr().out == ''


def test_itm_reranking_progress_and_result(capsys, monkeypatch):
    from mmvidlm.apis import init_model
    from mmvidlm.engine import retrieval_loops
    torch.manual_seed(0)
    model = init_model(
        'configs/demo/tokenmix_blip-tiny_synthetic-retrieval.py')
    model.itm_topk = 3
    num_videos, captions = 5, 2
    samples = []
    for _ in range(num_videos):
        samples.append(
            BaseDataElement(
                video_feat=torch.randn(32),
                text_feat=torch.randn(captions, 32),
                video_tokens=torch.randn(6, 64).half(),
                text_ids=[torch.randint(1000, 2000, (5, ))] * captions))
    sim = torch.cat([s.text_feat for s in samples]) @ torch.stack(
        [s.video_feat for s in samples]).t()
    ids = [i for s in samples for i in s.text_ids]
    tokens = [s.video_tokens for s in samples]
    t2v, v2t = model.itm_rerank(sim, tokens, ids, range(10), range(5))
    monkeypatch.setattr(retrieval_loops, 'ITM_CHUNK', 4)  # several steps
    retrieval_loops.rerank_by_itm(model, samples, range(5), 5)
    out = capsys.readouterr().out
    assert 'ITM re-ranking of the top 3: this process has 10 of 10 texts ' \
        'and 5 of 5 videos' in out
    assert '15/15' in out and 'ETA' in out
    # the chunks add up to the scores of one call
    torch.testing.assert_close(torch.cat([s.t2v_scores for s in samples]), t2v)
    torch.testing.assert_close(
        torch.stack([s.v2t_scores for s in samples]), v2t)


def test_progress_in_a_log_file_is_a_few_plain_lines(capsys, monkeypatch):
    """Written to a file (not a terminal), progress is one line per 10 %,
    without the carriage returns of the terminal bar."""
    with progress.progress_bar(95, 'Working') as update:
        for _ in range(95):
            update()
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == 'Working'
    assert len(lines) == 1 + 10 and '\r' not in ''.join(lines)
    assert lines[1].startswith('10/95 (10 %)')
    assert lines[-1].startswith('95/95 (100 %)') and 'ETA: 0s' in lines[-1]

    monkeypatch.setattr(progress.sys.stdout, 'isatty', lambda: True)
    with progress.progress_bar(3, 'Working') as update:
        for _ in range(3):
            update()
    out = capsys.readouterr().out
    assert out.count('\r') == 3 and '3/3' in out
