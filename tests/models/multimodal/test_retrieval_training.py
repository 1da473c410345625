# Copyright (c) mmvidlm authors. All rights reserved.
"""BLIP's retrieval training: momentum encoders, feature queue, momentum
distillation and ITM with hard negatives (issue 12, item 2)."""
import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn
import torch.nn.functional as F

from mmvidlm.models.multimodal.momentum import FeatureQueue, MomentumCopy
from .conftest import batch, tiny_retriever_cfg

#: The reference's recipe (configs/retrieval_msrvtt.yaml), a tiny queue.
RECIPE = dict(momentum=0.995, queue_size=6, alpha=0.4, itm_loss_weight=1.)
TEXTS = ['a red circle', 'a red ball', 'a bar', 'a square']
VIDEO_IDX = [0, 0, 1, 2]


def build(**kwargs):
    from mmvidlm.registry import MODELS
    torch.manual_seed(0)
    return MODELS.build(tiny_retriever_cfg(**kwargs)).train()


def test_feature_queue_push_wraps_around():
    queue = FeatureQueue(size=5, dim=2)
    assert queue.idx_queue.tolist() == [[-100] * 5]
    torch.testing.assert_close(queue.video_queue.norm(dim=0), torch.ones(5))
    for start in (0, 3):  # 3 + 3 > 5: the second push wraps around
        feats = torch.arange(start, start + 3.)[:, None].repeat(1, 2)
        queue.push(feats, -feats, torch.arange(start, start + 3))
    assert queue.idx_queue.tolist() == [[5, 1, 2, 3, 4]]
    assert queue.video_queue[0].tolist() == [5, 1, 2, 3, 4]
    assert queue.text_queue[1].tolist() == [-5, -1, -2, -3, -4]
    assert int(queue.ptr_queue) == 1
    # A push larger than the queue keeps its last `size` pairs.
    queue.push(torch.zeros(7, 2), torch.zeros(7, 2), torch.arange(10, 17))
    assert queue.idx_queue.tolist() == [[16, 12, 13, 14, 15]]
    assert int(queue.ptr_queue) == 1


def test_momentum_copy_formula():
    online = nn.Linear(3, 2)
    copy = MomentumCopy(online, 0.9)
    assert not any(p.requires_grad for p in copy.parameters())
    with torch.no_grad():
        online.weight.add_(1)
    copy.update_parameters(online)  # the first update copies
    torch.testing.assert_close(copy.module.weight, online.weight)
    before = copy.module.weight.clone()
    with torch.no_grad():
        online.weight.mul_(3)
    copy.update_parameters(online)
    torch.testing.assert_close(copy.module.weight,
                               0.9 * before + 0.1 * online.weight)
    with pytest.raises(ValueError, match='momentum must be in'):
        MomentumCopy(online, 1.)


@pytest.mark.parametrize('options, match', [
    (dict(queue_size=8), 'need the momentum encoders'),
    (dict(momentum=0.9, alpha=1.5), 'alpha <= 1'),
    (dict(multimodal_head=None, itm_loss_weight=1.), 'needs the ITM head'),
])
def test_bad_training_options(registered, options, match):
    with pytest.raises(ValueError, match=match):
        build(**options)


def test_momentum_without_queue_and_alpha_is_in_batch_itc(registered):
    """At the first step the momentum encoders equal the online ones: with
    alpha=0 and no queue the loss is today's in-batch ITC loss."""
    model = build()
    data = model.data_preprocessor(
        batch(TEXTS, video_idx=VIDEO_IDX), training=True)
    itc_only = model.loss(**data)
    assert set(itc_only) == {'itc_loss'}
    with_momentum = build(momentum=0.995).loss(**data)
    torch.testing.assert_close(with_momentum['itc_loss'], itc_only['itc_loss'])


def test_recipe_losses_queue_and_distillation(registered):
    model = build(**RECIPE)
    data = model.data_preprocessor(
        batch(TEXTS, video_idx=VIDEO_IDX), training=True)
    queue = {k: v.clone() for k, v in model.queue.named_buffers()}
    labels = []
    model.multimodal_head.loss_module.register_forward_hook(
        lambda module, args, out: labels.append(args[1]))
    losses = model.loss(**data)
    assert set(losses) == {'itc_loss', 'itm_loss'}
    assert all(torch.isfinite(v) for v in losses.values())
    # ITM: 4 matched pairs, then 8 pairs with a hard negative.
    assert labels[0].tolist() == [1] * 4 + [0] * 8
    sum(losses.values()).backward()
    assert model.multimodal_head.fc.weight.grad.abs().sum() > 0
    assert model.backbone.patch_embed.projection.weight.grad is not None
    assert all(p.grad is None for p in model.backbone_m.parameters())

    # ITC by hand: the first update copies, so the momentum features are
    # the online ones; keys are the batch plus the queue as it was.
    with torch.no_grad():
        video = model.encode_video(data['video'])
        text = model.encode_text(data['text'])
        temp = model.temp
        idx = torch.tensor(VIDEO_IDX)
        video_keys = torch.cat([video, queue['video_queue'].t()])
        text_keys = torch.cat([text, queue['text_queue'].t()])
        idx_keys = torch.cat([idx, queue['idx_queue'][0]])
        pos = (idx[:, None] == idx_keys[None]).float()
        pos = pos / pos.sum(1, keepdim=True)
        t_v2t = 0.4 * F.softmax(video @ text_keys.t() / temp, 1) + 0.6 * pos
        t_t2v = 0.4 * F.softmax(text @ video_keys.t() / temp, 1) + 0.6 * pos
        ref = -((F.log_softmax(video @ text_keys.t() / temp, 1) *
                 t_v2t).sum(1).mean() +
                (F.log_softmax(text @ video_keys.t() / temp, 1) *
                 t_t2v).sum(1).mean()) / 2
    torch.testing.assert_close(losses['itc_loss'].detach(), ref)
    # The batch entered the queue at 0..3; the pointer moved on.
    assert model.queue.idx_queue[0].tolist() == VIDEO_IDX + [-100] * 2
    torch.testing.assert_close(model.queue.video_queue[:, :4], video.t())
    torch.testing.assert_close(model.queue.text_queue[:, 4:],
                               queue['text_queue'][:, 4:])
    assert int(model.queue.ptr_queue) == 4


def test_itm_hard_negatives_are_other_videos(registered):
    model = build(itm_loss_weight=1.)
    data = model.data_preprocessor(
        batch(TEXTS, video_idx=VIDEO_IDX), training=True)
    seen = []
    match_logits = model._match_logits
    model._match_logits = lambda *args: (
        seen.append(args) or match_logits(*args))
    video_feat, tokens = model._encode_video(data['video'])
    text_feat = model.encode_text(data['text'])
    tokens = tokens.flatten(1, 2)
    for _ in range(5):  # hard negatives are drawn at random
        seen.clear()
        model.itm_loss(
            tokens.unflatten(1, (4, -1)), data['text'], video_feat.detach(),
            text_feat.detach(), torch.tensor(VIDEO_IDX))
        ids, mask, video_tokens = seen[0]
        enc = model.tokenizer.convert_tokens_to_ids('[ENC]')
        assert (ids[:, 0] == enc).all()
        input_ids = data['text']['input_ids']
        torch.testing.assert_close(ids[4:8, 1:], input_ids[:, 1:])
        torch.testing.assert_close(video_tokens[:4], tokens)
        torch.testing.assert_close(video_tokens[8:], tokens)
        for i in range(4):
            neg_video = [
                j for j in range(4)
                if torch.equal(video_tokens[4 + i], tokens[j])
            ]
            neg_text = [
                j for j in range(4)
                if torch.equal(ids[8 + i, 1:], input_ids[j, 1:])
            ]
            assert VIDEO_IDX[neg_video[0]] != VIDEO_IDX[i]
            assert VIDEO_IDX[neg_text[0]] != VIDEO_IDX[i]
    with pytest.raises(ValueError, match='need another video'):
        model.loss(**model.data_preprocessor(
            batch(TEXTS[:2], video_idx=[0, 0]), training=True))


def _recipe_worker(rank, world_size, port, out):
    torch.set_num_threads(1)  # OpenMP's thread pool does not survive fork
    dist.init_process_group(
        'gloo',
        init_method=f'tcp://127.0.0.1:{port}',
        rank=rank,
        world_size=world_size)
    from mmvidlm.utils import register_all_modules
    register_all_modules()
    model = build(**RECIPE)
    data = model.data_preprocessor(
        batch(TEXTS, video_idx=VIDEO_IDX), training=True)
    half = slice(2 * rank, 2 * rank + 2)
    losses = model.loss(data['video'][half], {
        k: v[half]
        for k, v in data['text'].items()
    }, data['data_samples'][half])
    sum(losses.values()).backward()  # ITM's gather passes gradients back
    grad = model.backbone.patch_embed.projection.weight.grad
    queues = [model.queue.video_queue.clone()]
    dist.all_reduce(grad)
    if rank == 1:
        queues.append(torch.zeros_like(queues[0]))
    dist.broadcast(queues[-1], src=0)
    if rank == 1:
        torch.save(
            dict(
                itc=losses['itc_loss'].detach(),
                itm=losses['itm_loss'].detach(),
                grad=grad,
                queue=queues[0],
                queue_rank0=queues[1]), out)
    dist.destroy_process_group()


def test_recipe_across_two_processes(registered, tmp_path, free_port):
    """Two gloo processes with two pairs each: the ITC loss is the whole
    batch's, both queues hold the whole batch, ITM trains."""
    model = build(**RECIPE)
    data = model.data_preprocessor(
        batch(TEXTS, video_idx=VIDEO_IDX), training=True)
    itc = model.loss(**data)['itc_loss']
    out = tmp_path / 'recipe.pth'
    mp.start_processes(
        _recipe_worker,
        args=(2, free_port, str(out)),
        nprocs=2,
        start_method='fork')
    result = torch.load(out)
    torch.testing.assert_close(result['itc'], itc.detach())
    assert torch.isfinite(result['itm'])
    assert torch.isfinite(result['grad']).all()
    torch.testing.assert_close(result['queue'], result['queue_rank0'])
    torch.testing.assert_close(result['queue'], model.queue.video_queue)


def test_alpha_warmup_with_mmpretrain_hook(registered):
    """The reference ramps alpha up linearly over the first epoch."""
    from types import SimpleNamespace

    from mmpretrain.engine.hooks import WarmupParamHook
    model = build(**RECIPE)
    hook = WarmupParamHook(
        param_name='alpha', module_name='queue', warmup_epochs=1)
    runner = SimpleNamespace(model=model, iter=0, max_iters=20, max_epochs=2)
    hook.before_train(runner)
    for it, alpha in ((0, 0.), (5, 0.2), (10, 0.4), (15, 0.4)):
        runner.iter = it
        hook.before_train_iter(runner, it)
        assert model.alpha == pytest.approx(alpha)
