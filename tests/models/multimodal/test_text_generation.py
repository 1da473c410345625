# Copyright (c) mmvidlm authors. All rights reserved.
"""Caption decoding through MMPretrain's ``SeqGenerationHead.predict``
(Hugging Face's ``generate``), with mmvidlm's length conventions: lengths
count the new tokens after ``[DEC] prompt``, ``[SEP]`` included."""
import pytest
import torch

from .conftest import tiny_captioner_cfg

SEP, WORD = 102, 2000  # [SEP] and 'to'


def build(**generation_cfg):
    from mmvidlm.registry import MODELS
    torch.manual_seed(0)
    return MODELS.build(tiny_captioner_cfg(
        generation_cfg=generation_cfg)).eval()


def clips(batch_size=3):
    return torch.randn(
        batch_size, 3, 4, 32, 32, generator=torch.Generator().manual_seed(0))


def set_bias(captioner, **bias):
    with torch.no_grad():
        for token, value in bias.items():
            captioner.seq_gen_head.decoder.cls.predictions.bias[int(
                token[1:])] = value


@pytest.mark.parametrize('num_beams', [1, 3])
def test_max_length(registered, num_beams):
    captioner = build(num_beams=num_beams, max_length=7, min_length=0)
    # 'to' dominates and [SEP] never wins: every caption hits the limit.
    set_bias(captioner, **{f't{WORD}': 8., f't{SEP}': -1e4})
    tokens = captioner.generate_tokens(clips())
    assert tokens.tolist() == [[WORD] * 7] * 3
    assert captioner.generate(clips()) == [' '.join(['to'] * 7)] * 3


@pytest.mark.parametrize('num_beams', [1, 3])
def test_stops_at_sep_after_min_length(registered, num_beams):
    captioner = build(num_beams=num_beams, max_length=10, min_length=3)
    # [SEP] always wins once allowed; 'to' wins before.
    set_bias(captioner, **{f't{WORD}': 8., f't{SEP}': 1e4})
    assert captioner.generate(clips()) == ['to to to'] * 3
    captioner.generation_cfg['min_length'] = 0
    assert captioner.generate(clips()) == [''] * 3


def test_greedy_follows_argmax(registered):
    """Greedy decoding equals recomputing the whole sequence (no cache) and
    taking the argmax at every step."""
    captioner = build(num_beams=1, max_length=5, min_length=5)
    video = clips(2)
    tokens = captioner.generate_tokens(video)
    with torch.no_grad():
        visual = captioner.encode_video(video)
        seq = captioner.start_ids.expand(2, -1)
        for _ in range(5):
            logits = captioner.seq_gen_head.decoder(
                input_ids=seq, encoder_hidden_states=visual,
                return_dict=True).logits[:, -1]
            logits[:, SEP] = float('-inf')
            seq = torch.cat([seq, logits.argmax(-1, keepdim=True)], dim=1)
    assert tokens.tolist() == seq[:, captioner.start_ids.numel():].tolist()


def test_beam_search_scores_at_least_greedy(registered):
    """Beam search finds a text at least as likely as greedy decoding."""
    greedy_model = build(num_beams=1, max_length=4, min_length=4)
    beam_model = build(num_beams=4, max_length=4, min_length=4)
    video = clips(2)
    greedy = greedy_model.generate_tokens(video)
    beam = beam_model.generate_tokens(video)
    start = greedy_model.start_ids
    with torch.no_grad():
        visual = greedy_model.encode_video(video)

    def logprob(tokens, b):
        ids = torch.cat([start, tokens[b]])[None]
        with torch.no_grad():
            logp = greedy_model.seq_gen_head.decoder(
                input_ids=ids,
                encoder_hidden_states=visual[b:b + 1],
                return_dict=True).logits.log_softmax(-1)
        new = ids[0, len(start):]
        return logp[0, len(start) - 1:-1].gather(1, new[:, None]).sum()

    for b in range(2):
        assert beam.shape[1] == 4
        assert logprob(beam, b) >= logprob(greedy, b) - 1e-5


def test_repetition_penalty(registered):
    captioner = build(num_beams=1, max_length=4, min_length=0)
    set_bias(captioner, **{f't{WORD}': 8., f't{SEP}': -1e4})
    assert captioner.generate_tokens(clips(1)).tolist() == [[WORD] * 4]
    captioner.generation_cfg['repetition_penalty'] = 1e4
    penalised = captioner.generate_tokens(clips(1))[0].tolist()
    assert len(set(penalised)) == 4  # no token twice


def test_bad_lengths(registered):
    with pytest.raises(ValueError, match='min_length'):
        build(max_length=3, min_length=5)
