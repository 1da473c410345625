# Copyright (c) mmvidlm authors. All rights reserved.
import pytest
import torch

from .conftest import batch


def test_preprocessor_normalises_and_tokenises(captioner):
    data = captioner.data_preprocessor(
        batch(['a red circle', 'a bar rotates clockwise']), training=True)
    assert data['video'].shape == (2, 3, 4, 32, 32)
    ids = data['text']['input_ids']
    assert ids[:, 0].tolist() == [101, 101]  # [CLS]; models swap it
    assert data['text']['attention_mask'].sum(1).tolist() == [5, 7]
    # A list of texts per video (retrieval testing) is flattened in order.
    data = captioner.data_preprocessor(batch([['a', 'b c'], ['d']]))
    assert data['text']['input_ids'].shape[0] == 3
    assert captioner.data_preprocessor(batch([None]))['text'] is None


def test_captioner_no_projection_and_loss(captioner):
    # BLIP's decoder reads the encoder's tokens: no projection parameters.
    assert not any(
        n.startswith('vision_proj.') for n, _ in captioner.named_parameters())
    data = captioner.data_preprocessor(
        batch(['a red circle', 'a bar rotates clockwise']), training=True)
    input_ids, attn, labels = captioner._decoder_inputs(data['text'])
    prompt = captioner.tokenizer(
        'a picture of ', add_special_tokens=False).input_ids
    assert input_ids[0, :4].tolist() == [30522] + prompt
    assert input_ids[0, 4:8].tolist() == captioner.tokenizer(
        'a red circle', add_special_tokens=False).input_ids + [102]
    # No loss on [DEC] and the prompt, nor on padding; loss on [SEP].
    assert (labels[:, :4] == -100).all()
    assert labels[0].tolist()[4:] == input_ids[0, 4:8].tolist() + [-100] * 2
    captioner.train()
    losses = captioner(**data, mode='loss')
    assert set(losses) == {'seq_gen_lm_loss'}
    losses['seq_gen_lm_loss'].backward()
    assert captioner.seq_gen_head.decoder.cls.predictions.bias.grad \
        is not None
    assert captioner.backbone.layers[-1].attn.qkv.weight.grad is not None


def test_captioner_predict(captioner):
    captioner.generation_cfg.update(num_beams=2, max_length=5, min_length=2)
    data = captioner.data_preprocessor(batch([None, None, None]))
    samples = captioner(**data, mode='predict')
    assert len(samples) == 3
    for s in samples:
        assert isinstance(s.pred_caption, str)
        assert 2 <= len(
            captioner.tokenizer(s.pred_caption,
                                add_special_tokens=False).input_ids) <= 5 + 2
    assert captioner(**data, mode='tensor').shape == (3, 4 * 17, 64)


def test_captioner_needs_raw_tokens(registered):
    from mmvidlm.registry import MODELS
    from .conftest import TINY_BACKBONE, tiny_captioner_cfg
    model = MODELS.build(
        tiny_captioner_cfg(backbone=dict(TINY_BACKBONE, out_type='cls')))
    with pytest.raises(ValueError, match="out_type='raw'"):
        model.encode_video(torch.zeros(1, 3, 4, 32, 32))


def test_retriever_itc_loss(retriever):
    retriever.train()
    data = retriever.data_preprocessor(
        batch(['a red circle', 'a red ball', 'a bar'], video_idx=[0, 0, 1]),
        training=True)
    video = retriever.encode_video(data['video'])
    text = retriever.encode_text(data['text'])
    # Captions of the same video are both positives: reference loss.
    sim = video @ text.t() / retriever.temp
    pos = torch.tensor([[1., 1., 0.], [1., 1., 0.], [0., 0., 1.]])
    target = pos / pos.sum(1, keepdim=True)
    ref = (-(sim.log_softmax(1) * target).sum(1).mean() -
           (sim.t().log_softmax(1) * target).sum(1).mean()) / 2
    loss = retriever(**data, mode='loss')['itc_loss']
    torch.testing.assert_close(loss, ref)
    loss.backward()
    assert retriever.temp.grad is not None
    assert retriever.vision_neck.weight.grad is not None


def test_retriever_predict_splits_texts_per_video(retriever):
    data = retriever.data_preprocessor(batch([['a', 'b c'], ['d']]))
    samples = retriever(**data, mode='predict')
    assert samples[0].text_feat.shape == (2, 32)
    assert samples[1].text_feat.shape == (1, 32)
    assert samples[0].video_feat.shape == (32, )
    torch.testing.assert_close(samples[0].video_feat.norm(), torch.tensor(1.))


def test_retriever_itc_across_two_ranks(retriever, monkeypatch):
    """Two ranks with half a batch each (``all_gather`` simulated): each
    gets the loss of the whole batch, and the gradients of the two ranks
    sum to the whole batch's gradient."""
    import mmengine.dist

    from mmvidlm.models.multimodal import blip_video_retriever as module
    data = retriever.data_preprocessor(
        batch(['a red circle', 'a red ball', 'a bar', 'a square'],
              video_idx=[0, 0, 1, 2]),
        training=True)
    loss = retriever.loss(**data)['itc_loss']
    loss.backward()
    grad = retriever.vision_neck.weight.grad.clone()
    halves = [slice(0, 2), slice(2, 4)]
    with torch.no_grad():
        video = retriever.encode_video(data['video'])
        text = retriever.encode_text(data['text'])
    idx = torch.tensor([0, 0, 1, 2])
    grads = []
    for rank in (0, 1):
        other = halves[1 - rank]
        # What the other rank contributes, in the order loss() gathers.
        pending = [video[other], text[other], idx[other]]

        def all_gather(x, rank=rank, pending=pending):
            parts = [x, pending.pop(0)]
            return parts if rank == 0 else parts[::-1]

        monkeypatch.setattr(mmengine.dist, 'get_world_size', lambda: 2)
        monkeypatch.setattr(mmengine.dist, 'get_rank', lambda r=rank: r)
        monkeypatch.setattr(module.dist, 'all_gather', all_gather)
        retriever.zero_grad()
        part = halves[rank]
        rank_loss = retriever.loss(data['video'][part], {
            k: v[part]
            for k, v in data['text'].items()
        }, data['data_samples'][part])['itc_loss']
        torch.testing.assert_close(rank_loss, loss)
        rank_loss.backward()
        grads.append(retriever.vision_neck.weight.grad.clone())
    torch.testing.assert_close(grads[0] + grads[1], grad)
