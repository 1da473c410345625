# Copyright (c) mmvidlm authors. All rights reserved.
"""ITM re-ranking of the retriever's top-k candidates at test time."""
import pytest
import torch

from .conftest import batch, tiny_retriever_cfg

CAPTIONS = [['a red circle', 'a ball moves to the left'], ['a bar'],
            ['a blue square stays still'], ['a stick turns']]


@pytest.fixture
def predictions(registered):
    """A retriever with ITM re-ranking and its predictions on 4 videos
    with 5 captions."""
    from mmvidlm.registry import MODELS
    torch.manual_seed(0)
    model = MODELS.build(tiny_retriever_cfg(itm_topk=2)).eval()
    # a larger head so that ITM changes the ITC ranking
    torch.nn.init.normal_(model.multimodal_head.fc.weight, std=1.)
    data = model.data_preprocessor(batch(CAPTIONS))
    with torch.no_grad():
        samples = model(**data, mode='predict')
    sim = torch.cat([s.text_feat for s in samples]) @ torch.stack(
        [s.video_feat for s in samples]).t()
    return model, samples, sim


def pairwise_itm(model, samples):
    """(N, V) ITM logits, one pair at a time, from the raw texts."""
    enc = model.tokenizer.convert_tokens_to_ids('[ENC]')
    rows = []
    for texts in CAPTIONS:
        for text in texts:
            ids = model.tokenizer(text, return_tensors='pt').input_ids
            ids[:, 0] = enc
            row = []
            for s in samples:
                tokens = s.video_tokens.float()[None]  # (1, T*N, C)
                out = model.text_backbone(
                    ids,
                    attention_mask=torch.ones_like(ids),
                    encoder_hidden_states=tokens,
                    encoder_attention_mask=torch.ones(tokens.shape[:2]),
                    return_dict=True)
                row.append(
                    model.multimodal_head((out.last_hidden_state[:, 0], ))[0,
                                                                           1])
            rows.append(torch.stack(row))
    return torch.stack(rows).detach()


def test_predict_keeps_tokens_and_unpadded_ids(predictions):
    model, samples, _ = predictions
    assert samples[0].video_tokens.shape == (4 * 17, 64)  # T * (1 + 16)
    assert samples[0].video_tokens.dtype == torch.float16
    ids = samples[0].text_ids
    assert len(ids) == 2 and len(ids[0]) == 5  # [CLS] a red circle [SEP]
    assert ids[0][-1] == model.tokenizer.sep_token_id


def test_rerank_of_all_candidates_is_itc_plus_itm(predictions):
    model, samples, sim = predictions
    model.itm_topk = 10  # more than there are videos and captions
    ids = [t for s in samples for t in s.text_ids]
    t2v, v2t = model.itm_rerank(sim, [s.video_tokens for s in samples], ids,
                                range(5), range(4))
    expected = sim + pairwise_itm(model, samples)
    torch.testing.assert_close(t2v, expected, rtol=1e-4, atol=1e-4)
    # video-to-text pads the captions of a batch: same scores
    torch.testing.assert_close(v2t, expected.t(), rtol=1e-4, atol=1e-4)


def test_rerank_top2_keeps_the_rest_in_itc_order(predictions):
    model, samples, sim = predictions
    ids = [t for s in samples for t in s.text_ids]
    t2v, v2t = model.itm_rerank(sim, [s.video_tokens for s in samples], ids,
                                range(5), range(4))
    itm = pairwise_itm(model, samples)
    changed = 0
    for scores, itc, logits in [(t2v, sim, itm), (v2t, sim.t(), itm.t())]:
        for row, itc_row, itm_row in zip(scores, itc, logits):
            top = itc_row.topk(2).indices
            rest = itc_row.argsort(descending=True)[2:]
            new_order = row.argsort(descending=True)
            assert set(new_order[:2].tolist()) == set(top.tolist())
            assert new_order[2:].tolist() == rest.tolist()
            torch.testing.assert_close(
                row[top], itc_row[top] + itm_row[top], rtol=1e-4, atol=1e-4)
            changed += int(new_order[0] != top[0])
    assert changed > 0  # ITM re-ordered some queries' top 2


def test_rerank_rows_split_between_processes_sum_to_all(predictions):
    model, samples, sim = predictions
    args = sim, [s.video_tokens
                 for s in samples], [t for s in samples for t in s.text_ids]
    whole = model.itm_rerank(*args, range(5), range(4))
    parts = [
        model.itm_rerank(*args, range(r, 5, 2), range(r, 4, 2)) for r in (0, 1)
    ]
    for k in (0, 1):
        torch.testing.assert_close(parts[0][k] + parts[1][k], whole[k])


def test_itm_rerank_needs_the_itm_head(registered):
    from mmvidlm.registry import MODELS
    cfg = tiny_retriever_cfg(itm_topk=4)
    cfg.pop('multimodal_head')
    with pytest.raises(ValueError, match='multimodal_head'):
        MODELS.build(cfg)
