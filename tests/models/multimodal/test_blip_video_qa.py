# Copyright (c) mmvidlm authors. All rights reserved.
"""BlipVideoQA on the tiny BLIP: loss, answer ranking and generation."""
import pytest
import torch

from .conftest import TINY_BACKBONE, TINY_MED_CONFIG, TOKENIZER, batch

ANSWERS = ['red', 'blue', 'anticlockwise']  # 1, 1 and 4 word pieces


def tiny_qa_cfg(**kwargs) -> dict:
    cfg = dict(
        type='BlipVideoQA',
        backbone=TINY_BACKBONE,
        multimodal_backbone=dict(
            type='mmpretrain.XBertEncoder', med_config=TINY_MED_CONFIG),
        head=dict(
            type='mmpretrain.VQAGenerationHead',
            decoder=dict(
                type='mmpretrain.XBertLMHeadDecoder',
                med_config=TINY_MED_CONFIG),
            num_beams=2),
        data_preprocessor=dict(
            type='VideoTextDataPreprocessor',
            tokenizer=TOKENIZER,
            max_txt_len=20),
        answer_list=ANSWERS)
    cfg.update(kwargs)
    return cfg


@pytest.fixture
def qa_model(registered):
    from mmvidlm.registry import MODELS
    torch.manual_seed(0)
    return MODELS.build(tiny_qa_cfg()).eval()


def qa_batch(model, questions, answers=None):
    torch.manual_seed(0)  # the same clips in every call
    data = batch(questions)
    for i, sample in enumerate(data['data_samples']):
        if answers is not None:
            sample.gt_answer = answers[i]
    return model.data_preprocessor(data, training=answers is not None)


def test_loss_trains_every_part(qa_model):
    qa_model.train()
    data = qa_batch(qa_model, ['what color is it', 'which way does it turn'],
                    [['red'], ['anticlockwise', 'clockwise']])
    losses = qa_model(**data, mode='loss')
    assert set(losses) == {'vqa_loss'} and torch.isfinite(losses['vqa_loss'])
    losses['vqa_loss'].backward()
    for part in ('backbone', 'multimodal_backbone', 'vqa_head'):
        assert any(p.grad is not None and p.grad.abs().sum() > 0
                   for n, p in qa_model.named_parameters()
                   if n.startswith(part)), part


def test_loss_is_weighted_sum_over_answers(qa_model):
    """BLIP's loss: per answer summed over tokens, x 0.2, / batch size."""
    data = qa_batch(qa_model, ['what color is it'], [['red', 'blue']])
    both = qa_model(**data, mode='loss')['vqa_loss']
    singles = [
        qa_model(
            **qa_batch(qa_model, ['what color is it'], [[a]]),
            mode='loss')['vqa_loss'] for a in ('red', 'blue')
    ]
    torch.testing.assert_close(both, singles[0] + singles[1])
    # two questions: the mean over the batch
    pair = qa_batch(qa_model, ['what color is it', 'what color is it'],
                    [['red'], ['blue']])
    torch.testing.assert_close(
        qa_model(**pair, mode='loss')['vqa_loss'],
        (singles[0] + singles[1]) / 2)


def test_loss_is_the_references(qa_model):
    """0.2 x BLIP's decoder loss (label smoothing 0.1, summed per answer),
    as the Token Mixing reference computes it."""
    data = qa_batch(qa_model, ['what color is it', 'which way'],
                    [['red'], ['anticlockwise']])
    loss = qa_model(**data, mode='loss')['vqa_loss']
    states = qa_model.encode_question(data['video'], data['text'])
    ids = qa_model.answer_ids[[0, 2]]
    mask = qa_model.answer_mask[[0, 2]]
    per_answer = qa_model.vqa_head.decoder(
        ids,
        attention_mask=mask,
        encoder_hidden_states=states,
        encoder_attention_mask=data['text']['attention_mask'],
        labels=ids.masked_fill(mask == 0, -100),
        return_dict=True,
        reduction='none').loss
    torch.testing.assert_close(loss, 0.2 * per_answer.sum() / 2)


def hand_log_likelihoods(model, states, mask):
    """log p(answer [SEP] | [DEC], question) of each candidate, one decoder
    call per prefix (no padding, no cache)."""
    tokenizer = model.tokenizer
    decoder = model.vqa_head.decoder
    out = []
    for answer in ANSWERS:
        ids = tokenizer(answer).input_ids  # [CLS] pieces [SEP]
        ids[0] = tokenizer.bos_token_id
        total = 0.0
        for t in range(1, len(ids)):
            logits = decoder(
                torch.tensor([ids[:t]]),
                encoder_hidden_states=states,
                encoder_attention_mask=mask,
                return_dict=True).logits[0, -1]
            total += logits.log_softmax(-1)[ids[t]].item()
        out.append(total)
    return out


def test_rank_picks_the_most_likely_answer(qa_model):
    questions = ['what is it', 'what color is the ball', 'which way']
    data = qa_batch(qa_model, questions)
    with torch.no_grad():
        states = qa_model.encode_question(data['video'], data['text'])
    mask = data['text']['attention_mask']
    picked = qa_model.rank_answers(states, mask).tolist()
    for i in range(len(questions)):
        length = int(mask[i].sum())
        with torch.no_grad():
            scores = hand_log_likelihoods(qa_model, states[i:i + 1, :length],
                                          mask[i:i + 1, :length])
        assert picked[i] == max(range(3), key=scores.__getitem__), scores
    samples = qa_model(**data, mode='predict')
    assert [s.pred_answer for s in samples] == [ANSWERS[i] for i in picked]


def test_likelihood_of_padded_candidates(qa_model):
    """Scores of the padded candidate batch = the hand computation."""
    from mmvidlm.models.multimodal.blip_video_qa import answer_log_likelihood
    data = qa_batch(qa_model, ['what color is the ball'])
    with torch.no_grad():
        states = qa_model.encode_question(data['video'], data['text'])
        mask = data['text']['attention_mask']
        logits = qa_model.vqa_head.decoder(
            qa_model.answer_ids,
            attention_mask=qa_model.answer_mask,
            encoder_hidden_states=states.expand(3, -1, -1),
            encoder_attention_mask=mask.expand(3, -1),
            return_dict=True).logits
        expected = hand_log_likelihoods(qa_model, states, mask)
    assert qa_model.answer_mask.sum(1).tolist() == [3, 3, 6]  # padded
    torch.testing.assert_close(
        answer_log_likelihood(logits, qa_model.answer_ids,
                              qa_model.answer_mask),
        torch.tensor(expected),
        rtol=1e-4,
        atol=1e-4)


def test_rank_scores_only_the_top_first_tokens(qa_model):
    """A large LM-head bias on 'anti' makes it the first piece of every
    answer: with k_test=1 only 'anticlockwise' is scored and wins; with all
    three scored, its four later pieces (each improbable next to 'anti')
    make it the least likely."""
    anti = qa_model.tokenizer('anticlockwise').input_ids[1]
    with torch.no_grad():
        qa_model.vqa_head.decoder.cls.predictions.bias[anti] += 30
    data = qa_batch(qa_model, ['what is it', 'which way'])
    with torch.no_grad():
        states = qa_model.encode_question(data['video'], data['text'])
    mask = data['text']['attention_mask']
    qa_model.num_ans_candidates = 1
    assert qa_model.rank_answers(states, mask).tolist() == [2, 2]
    qa_model.num_ans_candidates = 3
    assert 2 not in qa_model.rank_answers(states, mask).tolist()


def test_generate_answers(registered):
    from mmvidlm.registry import MODELS
    torch.manual_seed(0)
    model = MODELS.build(
        tiny_qa_cfg(inference_method='generate', answer_list=None)).eval()
    samples = model(
        **qa_batch(model, ['what is it', 'which way']), mode='predict')
    assert len(samples) == 2
    for sample in samples:
        assert isinstance(sample.pred_answer, str)
        # at most 10 tokens with [DEC] (the reference's limit): 9 pieces
        assert 1 <= len(sample.pred_answer.split()) <= 9


def test_answer_list_from_json(registered, tmp_path):
    import json

    from mmvidlm.registry import MODELS
    path = tmp_path / 'answer_list.json'
    path.write_text(json.dumps(ANSWERS))
    model = MODELS.build(tiny_qa_cfg(answer_list=str(path)))
    assert model.answer_list == ANSWERS
    assert model.answer_ids.shape[0] == 3
    assert (model.answer_ids[:, 0] == model.tokenizer.bos_token_id).all()
    with pytest.raises(FileNotFoundError, match='prepare_qa_annotations'):
        MODELS.build(tiny_qa_cfg(answer_list=str(tmp_path / 'none.json')))


@pytest.mark.parametrize('kwargs, match', [
    (dict(answer_list=None), 'needs `answer_list`'),
    (dict(answer_list=[]), 'non-empty list'),
    (dict(answer_list=[1, 2]), 'non-empty list'),
    (dict(inference_method='beam'), "'rank' or 'generate'"),
    (dict(backbone=dict(TINY_BACKBONE, out_type='cls_mean')), "out_type"),
])
def test_clear_errors(registered, kwargs, match):
    from mmvidlm.registry import MODELS
    model_cfg = tiny_qa_cfg(**kwargs)
    if 'backbone' in kwargs:
        model = MODELS.build(model_cfg)
        with pytest.raises(ValueError, match=match):
            model(**qa_batch(model, ['what is it']), mode='predict')
        return
    with pytest.raises(ValueError, match=match):
        MODELS.build(model_cfg)


def test_width_mismatch_is_reported(registered):
    from mmvidlm.registry import MODELS
    med = dict(TINY_MED_CONFIG, encoder_width=96)
    with pytest.raises(ValueError, match='encoder_width=64'):
        MODELS.build(
            tiny_qa_cfg(
                multimodal_backbone=dict(
                    type='mmpretrain.XBertEncoder', med_config=med)))


def test_blip_vqa_text_modules_find_their_place(qa_model):
    """BLIP VQA's text_encoder / text_decoder load into MMPretrain's
    multimodal_backbone / vqa_head.decoder."""
    from mmvidlm.models.utils.pretrained import place_components
    converted = {
        **{
            f'text_encoder.{k}': v
            for k, v in qa_model.multimodal_backbone.state_dict().items()
        },
        **{
            f'text_decoder.{k}': v
            for k, v in qa_model.vqa_head.decoder.state_dict().items()
        },
    }
    placed = place_components(converted, qa_model)
    assert set(placed) <= set(qa_model.state_dict())
    assert any(k.startswith('multimodal_backbone.') for k in placed)
    assert any(k.startswith('vqa_head.decoder.') for k in placed)


def test_trainable_groups(registered):
    """The model's spec freezes what it does not name (outside the video
    encoder, which has its own); None trains everything."""
    from mmvidlm.registry import MODELS
    model = MODELS.build(tiny_qa_cfg(trainable=['lh']))
    frozen = {n for n, p in model.named_parameters() if not p.requires_grad}
    assert any(n.startswith('multimodal_backbone.') for n in frozen)
    assert 'vqa_head.decoder.cls.predictions.transform.dense.weight' \
        not in frozen
    assert not any(n.startswith('backbone.') for n in frozen)
    assert all(
        p.requires_grad for p in MODELS.build(tiny_qa_cfg()).parameters())
