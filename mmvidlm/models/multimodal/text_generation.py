# Copyright (c) mmvidlm authors. All rights reserved.
"""Greedy and beam-search decoding for BLIP's BERT text decoder.

Written against MMPretrain's ``BertLMHeadModel`` (self-attention keys and
values cached as tuples, the visual tokens re-read by the cross-attention
at every step) rather than Hugging Face's ``generate``, whose cache and
argument conventions change between transformers releases.
"""
from typing import List, Optional, Tuple

import torch
import torch.nn.functional as F


def _reorder_cache(past: Tuple, index: torch.Tensor) -> Tuple:
    return tuple(
        tuple(state.index_select(0, index) for state in layer)
        for layer in past)


def _step(decoder, input_ids: torch.Tensor, visual: torch.Tensor,
          past: Optional[Tuple]) -> Tuple[torch.Tensor, Tuple]:
    """One decoder step: logits of the next token and the new cache."""
    out = decoder(
        input_ids=input_ids,
        encoder_hidden_states=visual,
        encoder_attention_mask=visual.new_ones(
            visual.shape[:2], dtype=torch.long),
        past_key_values=past,
        use_cache=True,
        return_dict=True,
        is_decoder=True)
    return out.logits[:, -1, :].float(), out.past_key_values


def _adjust_logits(logits: torch.Tensor, seqs: torch.Tensor, num_new: int,
                   eos_token_id: int, min_length: int,
                   repetition_penalty: float) -> torch.Tensor:
    """Repetition penalty (CTRL, as in Hugging Face) and minimum length."""
    if repetition_penalty != 1.0:
        seen = logits.gather(1, seqs)
        seen = torch.where(seen > 0, seen / repetition_penalty,
                           seen * repetition_penalty)
        logits = logits.scatter(1, seqs, seen)
    if num_new < min_length:
        logits[:, eos_token_id] = float('-inf')
    return logits


@torch.no_grad()
def generate(decoder,
             input_ids: torch.Tensor,
             visual: torch.Tensor,
             eos_token_id: int,
             num_beams: int = 3,
             max_length: int = 20,
             min_length: int = 5,
             repetition_penalty: float = 1.0) -> List[List[int]]:
    """Generate texts conditioned on visual tokens.

    Args:
        decoder (BertLMHeadModel): BLIP's text decoder with its LM head.
        input_ids (Tensor): (B, P) start tokens: ``[DEC]`` and the prompt.
        visual (Tensor): (B, N, C) visual tokens for the cross-attention.
        eos_token_id (int): The token that ends a text (``[SEP]``).
        num_beams (int): 1 for greedy decoding, more for beam search.
            Defaults to 3.
        max_length (int): The most new tokens, ``[SEP]`` included.
            Defaults to 20.
        min_length (int): ``[SEP]`` is forbidden before this many new
            tokens. Defaults to 5.
        repetition_penalty (float): Divides positive (multiplies negative)
            logits of tokens already in the text; 1 disables it.
            Defaults to 1.

    Returns:
        list[list[int]]: The new tokens of each text, without the prompt
        and without the final ``[SEP]``.
    """
    if num_beams < 1 or max_length < 1 or min_length > max_length:
        raise ValueError(
            'Need num_beams >= 1 and 1 <= max_length, min_length <= '
            f'max_length; got num_beams={num_beams}, max_length='
            f'{max_length}, min_length={min_length}.')
    if num_beams == 1:
        return _greedy(decoder, input_ids, visual, eos_token_id, max_length,
                       min_length, repetition_penalty)
    return _beam_search(decoder, input_ids, visual, eos_token_id, num_beams,
                        max_length, min_length, repetition_penalty)


def _strip(tokens: List[int], eos_token_id: int) -> List[int]:
    return tokens[:tokens.index(eos_token_id)] \
        if eos_token_id in tokens else tokens


def _greedy(decoder, input_ids, visual, eos_token_id, max_length,
            min_length, repetition_penalty) -> List[List[int]]:
    prompt_len = input_ids.shape[1]
    seqs, step_ids, past = input_ids, input_ids, None
    finished = torch.zeros(len(seqs), dtype=torch.bool, device=seqs.device)
    for num_new in range(max_length):
        logits, past = _step(decoder, step_ids, visual, past)
        logits = _adjust_logits(logits, seqs, num_new, eos_token_id,
                                min_length, repetition_penalty)
        next_ids = logits.argmax(dim=-1)
        next_ids = next_ids.masked_fill(finished, eos_token_id)
        seqs = torch.cat([seqs, next_ids[:, None]], dim=1)
        finished |= next_ids == eos_token_id
        if finished.all():
            break
        step_ids = next_ids[:, None]
    return [_strip(s, eos_token_id) for s in seqs[:, prompt_len:].tolist()]


def _beam_search(decoder, input_ids, visual, eos_token_id, num_beams,
                 max_length, min_length,
                 repetition_penalty) -> List[List[int]]:
    """Beam search; hypotheses ranked by mean log-probability per token."""
    B, prompt_len = input_ids.shape
    K = num_beams
    seqs = input_ids.repeat_interleave(K, dim=0)  # (B*K, P)
    visual = visual.repeat_interleave(K, dim=0)
    # Only the first beam is live at the start (all beams are equal).
    scores = torch.full((B, K), float('-inf'), device=seqs.device)
    scores[:, 0] = 0
    hyps: List[List[Tuple[float, List[int]]]] = [[] for _ in range(B)]
    done = [False] * B
    step_ids, past = seqs, None
    for num_new in range(max_length):
        logits, past = _step(decoder, step_ids, visual, past)
        logits = _adjust_logits(logits, seqs, num_new, eos_token_id,
                                min_length, repetition_penalty)
        vocab = logits.shape[-1]
        cand = scores.view(-1, 1) + F.log_softmax(logits, dim=-1)
        top_scores, top_idx = cand.view(B, K * vocab).topk(2 * K, dim=1)
        length = num_new + 1
        next_beam, next_tok, next_score = [], [], []
        for b in range(B):
            chosen = []
            for rank, (s, i) in enumerate(
                    zip(top_scores[b].tolist(), top_idx[b].tolist())):
                beam, tok = divmod(i, vocab)
                if s == float('-inf'):
                    break
                if tok == eos_token_id or length == max_length:
                    if rank < K and not done[b]:
                        text = seqs[b * K + beam, prompt_len:].tolist()
                        if tok != eos_token_id:
                            text.append(tok)
                        hyps[b].append((s / length, text))
                    if tok == eos_token_id:
                        continue
                chosen.append((beam, tok, s))
                if len(chosen) == K:
                    break
            while len(chosen) < K:  # pad with dead beams
                chosen.append((0, eos_token_id, float('-inf')))
            hyps[b] = sorted(hyps[b], key=lambda h: -h[0])[:K]
            best_running = max(c[2] for c in chosen) / length
            if len(hyps[b]) == K and hyps[b][-1][0] >= best_running:
                done[b] = True
            for beam, tok, s in chosen:
                next_beam.append(b * K + beam)
                next_tok.append(tok)
                next_score.append(s if not done[b] else float('-inf'))
        if all(done) or length == max_length:
            break
        index = torch.tensor(next_beam, device=seqs.device)
        next_ids = torch.tensor(next_tok, device=seqs.device)
        seqs = torch.cat([seqs[index], next_ids[:, None]], dim=1)
        scores = torch.tensor(next_score, device=seqs.device).view(B, K)
        past = _reorder_cache(past, index)
        step_ids = next_ids[:, None]
    return [max(h, key=lambda x: x[0])[1] if h else [] for h in hyps]
