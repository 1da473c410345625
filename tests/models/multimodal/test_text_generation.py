# Copyright (c) mmvidlm authors. All rights reserved.
import pytest
import torch

from .conftest import TINY_MED_CONFIG

SEP, DEC = 102, 30522


@pytest.fixture
def decoder(registered):
    from mmpretrain.models.multimodal.blip import XBertLMHeadDecoder
    torch.manual_seed(0)
    return XBertLMHeadDecoder(TINY_MED_CONFIG).eval()


def inputs(batch_size=3):
    start = torch.tensor([[DEC, 1037, 3861, 1997]]).repeat(batch_size, 1)
    visual = torch.randn(batch_size, 10, 64, generator=torch.Generator())
    return start, visual


@pytest.mark.parametrize('num_beams', [1, 3])
def test_max_length(decoder, num_beams):
    from mmvidlm.models.multimodal import generate
    start, visual = inputs()
    with torch.no_grad():  # [SEP] never wins: every text hits the limit
        decoder.cls.predictions.bias[SEP] = -1e4
    texts = generate(decoder, start, visual, SEP, num_beams=num_beams,
                     max_length=7, min_length=0)
    assert [len(t) for t in texts] == [7, 7, 7]
    assert all(SEP not in t for t in texts)


@pytest.mark.parametrize('num_beams', [1, 3])
def test_stops_at_sep_after_min_length(decoder, num_beams):
    from mmvidlm.models.multimodal import generate
    start, visual = inputs()
    with torch.no_grad():  # [SEP] always wins once it is allowed
        decoder.cls.predictions.bias[SEP] = 1e4
    texts = generate(decoder, start, visual, SEP, num_beams=num_beams,
                     max_length=10, min_length=3)
    assert [len(t) for t in texts] == [3, 3, 3]
    texts = generate(decoder, start, visual, SEP, num_beams=num_beams,
                     max_length=10, min_length=0)
    assert texts == [[], [], []]


def test_greedy_follows_argmax_and_cache(decoder):
    """Greedy decoding with the key/value cache equals recomputing the whole
    sequence at every step."""
    from mmvidlm.models.multimodal import generate
    start, visual = inputs(2)
    texts = generate(decoder, start, visual, SEP, num_beams=1, max_length=5,
                     min_length=5)
    seq = start
    with torch.no_grad():
        for _ in range(5):
            logits = decoder(
                input_ids=seq,
                encoder_hidden_states=visual,
                return_dict=True).logits[:, -1]
            logits[:, SEP] = float('-inf')
            seq = torch.cat([seq, logits.argmax(-1, keepdim=True)], dim=1)
    assert texts == seq[:, start.shape[1]:].tolist()


def test_beam_search_scores_at_least_greedy(decoder):
    """Beam search finds a text at least as likely (per token) as greedy."""
    from mmvidlm.models.multimodal import generate
    start, visual = inputs(2)

    def mean_logprob(tokens, b):
        ids = torch.cat([start[b], torch.tensor(tokens + [SEP])])[None]
        with torch.no_grad():
            logp = decoder(
                input_ids=ids,
                encoder_hidden_states=visual[b:b + 1],
                return_dict=True).logits.log_softmax(-1)
        new = ids[0, start.shape[1]:]
        return logp[0, start.shape[1] - 1:-1].gather(
            1, new[:, None]).mean().item()

    greedy = generate(decoder, start, visual, SEP, num_beams=1,
                      max_length=4, min_length=4)
    beam = generate(decoder, start, visual, SEP, num_beams=4, max_length=4,
                    min_length=4)
    for b in range(2):
        assert len(beam[b]) == 4
        assert mean_logprob(beam[b], b) >= mean_logprob(greedy[b], b) - 1e-5


def test_repetition_penalty(decoder):
    from mmvidlm.models.multimodal import generate
    start, visual = inputs(1)
    with torch.no_grad():  # token 2000 dominates, [SEP] is forbidden
        decoder.cls.predictions.bias[2000] = 8
        decoder.cls.predictions.bias[SEP] = -1e4
    plain = generate(decoder, start, visual, SEP, num_beams=1, max_length=4,
                     min_length=0)[0]
    assert plain == [2000] * 4
    penalised = generate(decoder, start, visual, SEP, num_beams=1,
                         max_length=4, min_length=0,
                         repetition_penalty=1e4)[0]
    assert len(set(penalised)) == 4  # no token twice


def test_bad_lengths(decoder):
    from mmvidlm.models.multimodal import generate
    start, visual = inputs(1)
    with pytest.raises(ValueError, match='min_length'):
        generate(decoder, start, visual, SEP, max_length=3, min_length=5)
