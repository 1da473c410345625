# Copyright (c) mmvidlm authors. All rights reserved.
from typing import Dict, List, Optional, Sequence, Tuple

import mmengine.dist as dist
import torch
import torch.distributed.nn.functional as dist_nn
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModel

from mmvidlm.registry import MODELS
from ..utils.trainable import TrainableMixin
from .momentum import FeatureQueue, MomentumCopy


def gather_with_local_grad(x: torch.Tensor) -> torch.Tensor:
    """All ranks' ``x`` concatenated in rank order; the gradient flows
    through this rank's part (each rank back-propagates its own loss)."""
    if dist.get_world_size() == 1:
        return x
    parts = dist.all_gather(x.detach())
    parts[dist.get_rank()] = x
    return torch.cat(parts)


def gather_with_grad(x: torch.Tensor) -> torch.Tensor:
    """All ranks' ``x`` concatenated in rank order; gradients flow back to
    the rank each part came from (summed over the ranks that used it)."""
    if dist.get_world_size() == 1:
        return x
    return torch.cat(dist_nn.all_gather(x))


def soft_cross_entropy(logits: torch.Tensor,
                       targets: torch.Tensor) -> torch.Tensor:
    """Mean over rows of the cross-entropy with soft ``targets``."""
    return -(F.log_softmax(logits, dim=1) * targets).sum(1).mean()


@MODELS.register_module()
class BlipVideoRetriever(TrainableMixin, BaseModel):
    """BLIP's text-video retrieval model: video and text embeddings, ITC.

    The video embedding is the mean over frames of the video encoder's
    [CLS] tokens through ``vision_neck``; the text embedding is the [CLS]
    token of BLIP's BERT text encoder (MMPretrain's ``XBertEncoder``,
    unimodal mode) through ``text_neck``. Training minimises the
    contrastive (ITC) loss with a learnable temperature; in-batch negatives
    are gathered from every process, and captions of the same video (same
    ``video_idx``) count as positives. Testing outputs the normalised
    embeddings; :class:`mmvidlm.evaluation.RetrievalMetric` ranks them.

    BLIP's retrieval training, as the Token Mixing reference code runs it
    (``models/blip_video_retrieval.py`` of LiuRicky/video_language_model,
    values from its ``configs/retrieval_msrvtt.yaml``), is switched on by
    ``momentum=0.995, queue_size=57600, alpha=0.4, itm_loss_weight=1``:

    * ITC keys are the momentum encoders' features of the batch plus a
      :class:`FeatureQueue` of earlier batches; the targets mix the
      positives (same ``video_idx``, queue included) with the momentum
      encoders' softmax similarities, weighted by ``alpha``
      (:meth:`itc_loss`). The reference ramps ``alpha`` up over the first
      epoch: ``custom_hooks=[dict(type='mmpretrain.WarmupParamHook',
      module_name='queue', param_name='alpha', warmup_epochs=1)]``.
    * ITM: each caption against its video (match) and against a hard
      negative video, each video against a hard negative caption, both
      drawn with probability softmax(ITC similarity) over the other videos
      of the batch, of every process with ``negative_all_rank``
      (:meth:`itm_loss`).

    With the defaults (no momentum encoders, no queue, ``alpha=0``,
    ``itm_loss_weight=0``) training is ITC on the in-batch pairs only.

    With ``itm_topk > 0`` the test re-ranks, as BLIP does, the ``itm_topk``
    best candidates of every query by image-text matching: the text encoder
    reads ``[ENC] caption`` with cross-attention to the video's tokens (all
    frames flattened), the ITM head's "match" logit plus the ITC similarity
    is the new score (:meth:`itm_rerank`). This needs every video's tokens,
    so ``predict`` keeps them (fp16, on the CPU) and the test needs
    ``RetrievalValLoop`` / ``RetrievalTestLoop``, which gather them from all
    processes before ranking.

    Parameter names follow MMPretrain's ``BlipRetrieval`` (``text_backbone``,
    ``vision_neck``, ``text_neck``, ``multimodal_head``, ``temp``), with the
    video encoder in ``backbone``.

    Args:
        backbone (dict): The video encoder, ``out_type='raw'``.
        text_backbone (dict): ``XBertEncoder`` with BLIP's BERT config.
        vision_neck (dict): Projection of the video embedding (BLIP's
            ``vision_proj``), e.g. ``dict(type='mmpretrain.Linear', ...)``.
        text_neck (dict): Projection of the text embedding.
        data_preprocessor (dict): ``VideoTextDataPreprocessor`` config.
        multimodal_head (dict, optional): BLIP's ITM head
            (``mmpretrain.ITMHead``). Defaults to None.
        temperature (float): Initial temperature. Defaults to 0.07.
        itm_topk (int): Candidates per query re-ranked by ITM at test time;
            0 ranks by ITC alone. Needs ``multimodal_head``. Defaults to 0.
        momentum (float, optional): Momentum ``m`` of the momentum encoders
            (``backbone_m``, ``vision_neck_m``, ``text_backbone_m``,
            ``text_neck_m``): ``p_m = m * p_m + (1 - m) * p`` before each
            training step, from the momentum weights of the checkpoint of
            ``init_cfg`` (BLIP's ``*_m``), or from the online weights where
            it has none (:class:`~.momentum.MomentumCopy`). None: no
            momentum encoders, the ITC keys are the online features.
            Reference: 0.995. Defaults to None.
        queue_size (int): Queued momentum features of earlier batches (ITC
            keys); a checkpoint's queue of this size is loaded (BLIP's).
            Needs ``momentum``. Reference: 57600. Defaults to 0.
        alpha (float): Weight of the momentum encoders' soft ITC targets.
            Needs ``momentum``. Reference: 0.4. Defaults to 0.
        itm_loss_weight (float): Weight of the ITM loss; 0 trains no ITM.
            Needs ``multimodal_head``. Reference: 1. Defaults to 0.
        negative_all_rank (bool): Draw ITM hard negatives from the batches
            of all processes (else from this process's). Reference: True.
            Defaults to True.
        trainable (Sequence[str], optional): What trains outside the video
            encoder (which has its own ``trainable``); the rest is frozen
            when the model is built. Groups: ``'lp'`` (``vision_neck``),
            ``'lh'`` (``text_neck``), ``'itc'`` (the temperature), ``'itm'``
            (the ITM head), or paths of submodules (see
            :class:`~mmvidlm.models.utils.TrainableMixin`). None trains
            everything. Defaults to None.
        init_cfg (dict, optional): Initialisation.
    """
    trainable_aliases = dict(
        lp=('vision_neck', ),
        lh=('text_neck', ),
        itc=('temp', ),
        itm=('multimodal_head', ))

    def __init__(self,
                 backbone: dict,
                 text_backbone: dict,
                 vision_neck: dict,
                 text_neck: dict,
                 data_preprocessor: dict,
                 multimodal_head: Optional[dict] = None,
                 temperature: float = 0.07,
                 itm_topk: int = 0,
                 momentum: Optional[float] = None,
                 queue_size: int = 0,
                 alpha: float = 0.,
                 itm_loss_weight: float = 0.,
                 negative_all_rank: bool = True,
                 trainable: Optional[Sequence[str]] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if itm_topk < 0:
            raise ValueError(f'itm_topk must be >= 0, got {itm_topk}.')
        if itm_topk and multimodal_head is None:
            raise ValueError('ITM re-ranking (itm_topk > 0) needs the ITM '
                             'head: set multimodal_head.')
        self.backbone = MODELS.build(backbone)
        self.text_backbone = MODELS.build(text_backbone)
        self.vision_neck = MODELS.build(vision_neck)
        self.text_neck = MODELS.build(text_neck)
        if multimodal_head is not None:
            self.multimodal_head = MODELS.build(multimodal_head)
        self.temp = nn.Parameter(torch.tensor(float(temperature)))
        self.itm_topk = itm_topk
        self._init_retrieval_training(momentum, queue_size, alpha,
                                      itm_loss_weight, negative_all_rank)
        self.apply_trainable(trainable)

    def _init_retrieval_training(self, momentum: Optional[float],
                                 queue_size: int, alpha: float,
                                 itm_loss_weight: float,
                                 negative_all_rank: bool) -> None:
        """Check the training options; build the momentum encoders and
        the queue."""
        if momentum is None and (queue_size or alpha):
            raise ValueError(
                'queue_size > 0 and alpha > 0 need the momentum encoders: '
                f'set momentum (BLIP: 0.995), got queue_size={queue_size}, '
                f'alpha={alpha}.')
        if queue_size < 0 or not 0 <= alpha <= 1 or itm_loss_weight < 0:
            raise ValueError(
                'Need queue_size >= 0, 0 <= alpha <= 1, itm_loss_weight >= 0;'
                f' got {queue_size}, {alpha}, {itm_loss_weight}.')
        if itm_loss_weight and not hasattr(self, 'multimodal_head'):
            raise ValueError('The ITM loss (itm_loss_weight > 0) needs the '
                             'ITM head: set multimodal_head.')
        self.momentum = momentum
        self.itm_loss_weight = itm_loss_weight
        self.negative_all_rank = negative_all_rank
        self._alpha = alpha
        if momentum is not None:
            # Frozen copies, updated by `_momentum_update` (BLIP's pairs).
            self.backbone_m = MomentumCopy(self.backbone, momentum)
            self.vision_neck_m = MomentumCopy(self.vision_neck, momentum)
            self.text_backbone_m = MomentumCopy(self.text_backbone, momentum)
            self.text_neck_m = MomentumCopy(self.text_neck, momentum)
        if queue_size:
            dim = getattr(self.vision_neck, 'out_features', None)
            if dim is None:
                raise ValueError('The feature queue takes its width from '
                                 'vision_neck.out_features: use a linear '
                                 'vision_neck (mmpretrain.Linear).')
            self.queue = FeatureQueue(queue_size, dim, alpha)

    @property
    def alpha(self) -> float:
        """Weight of the momentum soft targets (the queue's, when there is
        one, which ``WarmupParamHook`` ramps up)."""
        return self.queue.alpha if hasattr(self, 'queue') else self._alpha

    @property
    def tokenizer(self):
        return self.data_preprocessor.tokenizer

    def encode_video(self, video: torch.Tensor) -> torch.Tensor:
        """(B, C, T, H, W) clips -> (B, D) normalised embeddings."""
        return self._encode_video(video)[0]

    def _encode_video(self,
                      video: torch.Tensor,
                      momentum: bool = False
                      ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Normalised embeddings (B, D) and the encoder's tokens (B, T, N,
        C), of the momentum encoder with ``momentum``."""
        if momentum:
            backbone, neck = self.backbone_m, self.vision_neck_m
        else:
            backbone, neck = self.backbone, self.vision_neck
        tokens = backbone(video)
        if tokens.ndim != 4:
            raise ValueError(
                "The retriever needs the encoder's tokens: set out_type="
                f"'raw' (got an output of shape {tuple(tokens.shape)}).")
        cls = tokens[:, :, 0].mean(dim=1)  # (B, T, N, C) -> (B, C)
        return F.normalize(neck(cls), dim=-1), tokens

    def encode_text(self,
                    text: Dict[str, torch.Tensor],
                    momentum: bool = False) -> torch.Tensor:
        """Tokens -> (N, D) normalised embeddings (of the momentum
        encoder with ``momentum``)."""
        if momentum:
            backbone, neck = self.text_backbone_m, self.text_neck_m
        else:
            backbone, neck = self.text_backbone, self.text_neck
        out = backbone(
            text['input_ids'],
            attention_mask=text['attention_mask'],
            return_dict=True,
            mode='text')
        return F.normalize(neck(out.last_hidden_state[:, 0]), dim=-1)

    def forward(self,
                video: torch.Tensor,
                text: Optional[Dict[str, torch.Tensor]] = None,
                data_samples: Optional[list] = None,
                mode: str = 'tensor'):
        """``'loss'``, ``'predict'`` or ``'tensor'`` (the two embeddings)."""
        if mode == 'loss':
            return self.loss(video, text, data_samples)
        if mode == 'predict':
            return self.predict(video, text, data_samples)
        if mode == 'tensor':
            return self.encode_video(video), (
                self.encode_text(text) if text is not None else None)
        raise RuntimeError(f'Invalid mode {mode!r}.')

    def loss(self, video: torch.Tensor, text: Dict[str, torch.Tensor],
             data_samples: list) -> Dict[str, torch.Tensor]:
        """ITC loss (:meth:`itc_loss`), and the ITM loss (:meth:`itm_loss`)
        times ``itm_loss_weight`` when that is positive."""
        if text is None or len(text['input_ids']) != len(video):
            raise ValueError('Training the retriever needs exactly one '
                             '`text` per data sample.')
        with torch.no_grad():
            self.temp.clamp_(0.001, 0.5)  # as BLIP
        video_feat, tokens = self._encode_video(video)
        text_feat = self.encode_text(text)
        idx = torch.tensor([s.video_idx for s in data_samples],
                           device=video.device)
        losses = dict(
            itc_loss=self.itc_loss(video_feat, text_feat, idx, video, text))
        if self.itm_loss_weight:
            losses['itm_loss'] = self.itm_loss_weight * self.itm_loss(
                tokens, text, video_feat.detach(), text_feat.detach(), idx)
        return losses

    def itc_loss(self, video_feat: torch.Tensor, text_feat: torch.Tensor,
                 idx: torch.Tensor, video: torch.Tensor,
                 text: Dict[str, torch.Tensor]) -> torch.Tensor:
        """Symmetric ITC loss over the batches of all processes.

        Every process computes the loss of the whole (gathered) batch: all
        captions against all videos (the keys), and, with a queue, against
        the queued features too. Without momentum encoders the keys are the
        online embeddings: the other processes' are constants, this
        process's carry the gradient, so each process gets the exact
        gradient of its own samples' embeddings and the loss equals that of
        one process holding the whole batch (DDP's averaging scales the
        gradient by 1 / world size, to which AdamW is insensitive). With
        momentum encoders the keys are their features (BLIP), and the
        targets are ``alpha * softmax(momentum similarities) + (1 - alpha)
        * positives``; the batch's momentum features then enter the queue.

        Args:
            video_feat (Tensor): (B, D) this process's video embeddings.
            text_feat (Tensor): (B, D) its caption embeddings.
            idx (Tensor): (B,) video index of each pair; captions of the
                same video are all positives.
            video (Tensor): (B, C, T, H, W) the clips, for the momentum
                encoder.
            text (dict): The tokens, for the momentum encoder.

        Returns:
            Tensor: The loss.
        """
        video_feat = gather_with_local_grad(video_feat)  # (N, D)
        text_feat = gather_with_local_grad(text_feat)
        idx = torch.cat(dist.all_gather(idx))  # (N, )
        if self.momentum is None:
            video_keys, text_keys, idx_keys = video_feat, text_feat, idx
        else:
            with torch.no_grad():
                self._momentum_update()
                video_m = torch.cat(
                    dist.all_gather(self._encode_video(video, True)[0]))
                text_m = torch.cat(
                    dist.all_gather(self.encode_text(text, True)))
                video_keys, text_keys, idx_keys = video_m, text_m, idx
                if hasattr(self, 'queue'):  # (N + Q, D), (N + Q, )
                    video_keys = torch.cat(
                        [video_m, self.queue.video_queue.t()])
                    text_keys = torch.cat([text_m, self.queue.text_queue.t()])
                    idx_keys = torch.cat([idx, self.queue.idx_queue[0]])
        # Captions of the same video are all positives.
        positive = (idx[:, None] == idx_keys[None]).float()  # (N, N + Q)
        targets_v2t = targets_t2v = positive / positive.sum(1, keepdim=True)
        if self.alpha:
            with torch.no_grad():
                alpha = self.alpha
                targets_v2t = alpha * F.softmax(
                    video_m @ text_keys.t() / self.temp,
                    dim=1) + (1 - alpha) * targets_v2t
                targets_t2v = alpha * F.softmax(
                    text_m @ video_keys.t() / self.temp,
                    dim=1) + (1 - alpha) * targets_t2v
        sim_v2t = video_feat @ text_keys.t() / self.temp
        sim_t2v = text_feat @ video_keys.t() / self.temp
        loss = (soft_cross_entropy(sim_v2t, targets_v2t) +
                soft_cross_entropy(sim_t2v, targets_t2v)) / 2
        if hasattr(self, 'queue'):
            self.queue.push(video_m, text_m, idx)
        return loss

    @torch.no_grad()
    def _momentum_update(self) -> None:
        """``p_m = m * p_m + (1 - m) * p`` for the four encoder pairs (the
        first call copies what no checkpoint loaded)."""
        for name in ('backbone', 'vision_neck', 'text_backbone', 'text_neck'):
            getattr(self, f'{name}_m').update_parameters(getattr(self, name))

    def itm_loss(self, tokens: torch.Tensor, text: Dict[str, torch.Tensor],
                 video_feat: torch.Tensor, text_feat: torch.Tensor,
                 idx: torch.Tensor) -> torch.Tensor:
        """BLIP's ITM loss with hard negatives.

        Three pairs per sample: its caption and video (label 1), its
        caption and a negative video, a negative caption and its video
        (label 0). The negative of a caption is drawn among the videos of
        another index with probability softmax(ITC similarity / temp), and
        likewise for a video; from the batches of all processes with
        ``negative_all_rank`` (a drawn video's tokens then pass their
        gradient back to the process that encoded them).

        Args:
            tokens (Tensor): (B, T, N, C) the video encoder's tokens.
            text (dict): This process's tokens (``input_ids``,
                ``attention_mask``, (B, L)).
            video_feat (Tensor): (B, D) video embeddings (no gradient).
            text_feat (Tensor): (B, D) caption embeddings (no gradient).
            idx (Tensor): (B,) video index of each pair.

        Returns:
            Tensor: The loss (the ITM head's loss module, e.g.
            cross-entropy, over the 3B pairs).
        """
        tokens = tokens.flatten(1, 2)  # (B, T, N, C) -> (B, T*N, C)
        ids = text['input_ids'].clone()
        ids[:, 0] = self.tokenizer.convert_tokens_to_ids('[ENC]')
        mask = text['attention_mask']
        if self.negative_all_rank:
            idx_world = torch.cat(dist.all_gather(idx))
            video_world = torch.cat(dist.all_gather(video_feat))
            text_world = torch.cat(dist.all_gather(text_feat))
            tokens_world = gather_with_grad(tokens)
            ids_world = torch.cat(dist.all_gather(ids))
            mask_world = torch.cat(dist.all_gather(mask))
        else:
            idx_world, video_world, text_world = idx, video_feat, text_feat
            tokens_world, ids_world, mask_world = tokens, ids, mask
        with torch.no_grad():
            same = idx[:, None] == idx_world[None]  # (B, N)
            if same.all(1).any():
                raise ValueError(
                    'ITM hard negatives need another video in the batch '
                    f'for every sample; got video indices {idx.tolist()} '
                    f'(all processes: {idx_world.tolist()}). Use a larger '
                    'batch or set itm_loss_weight=0.')
            weights_t2v = F.softmax(
                text_feat @ video_world.t() / self.temp,
                dim=1).masked_fill(same, 0)
            weights_v2t = F.softmax(
                video_feat @ text_world.t() / self.temp,
                dim=1).masked_fill(same, 0)
            neg_video = torch.multinomial(weights_t2v, 1)[:, 0]  # (B, )
            neg_text = torch.multinomial(weights_v2t, 1)[:, 0]
        logits = self._match_logits(
            torch.cat([ids, ids, ids_world[neg_text]]),
            torch.cat([mask, mask, mask_world[neg_text]]),
            torch.cat([tokens, tokens_world[neg_video], tokens]))
        labels = torch.cat(
            [torch.ones_like(idx),
             torch.zeros_like(idx).repeat(2)])
        return self.multimodal_head.loss_module(logits, labels)

    def _match_logits(self, ids: torch.Tensor, mask: torch.Tensor,
                      video_tokens: torch.Tensor) -> torch.Tensor:
        """(P, 2) ITM logits of P ``[ENC]`` captions (P, L) with attention
        ``mask`` and the tokens (P, L', C) of their videos."""
        out = self.text_backbone(
            ids,
            attention_mask=mask,
            encoder_hidden_states=video_tokens,
            encoder_attention_mask=video_tokens.new_ones(
                video_tokens.shape[:2], dtype=torch.long),
            return_dict=True)
        return self.multimodal_head((out.last_hidden_state[:, 0], ))

    def predict(self, video: torch.Tensor, text: Optional[Dict[str,
                                                               torch.Tensor]],
                data_samples: List) -> list:
        """Set ``video_feat`` (D,) and ``text_feat`` (n_i, D) per sample.

        With ``itm_topk > 0`` also ``video_tokens`` (T*N, C), fp16 on the
        CPU, and ``text_ids``, the token ids of each caption without padding,
        for :meth:`itm_rerank`.
        """
        video_feat, tokens = self._encode_video(video)
        text_feat = self.encode_text(text) if text is not None else None
        start = 0
        for i, sample in enumerate(data_samples):
            sample.video_feat = video_feat[i]
            if self.itm_topk:
                # (T, N, C) -> (T*N, C)
                sample.video_tokens = tokens[i].flatten(0, 1).half().cpu()
            if text_feat is None:
                continue
            texts = sample.get('text')
            n = 1 if isinstance(texts, str) else len(texts)
            sample.text_feat = text_feat[start:start + n]
            if self.itm_topk:
                ids = text['input_ids'][start:start + n].cpu()
                lengths = text['attention_mask'][start:start + n].sum(1)
                sample.text_ids = [
                    t[:int(length)] for t, length in zip(ids, lengths)
                ]
            start += n
        return data_samples

    def itm_logits(self, text_ids: Sequence[torch.Tensor],
                   video_tokens: torch.Tensor) -> torch.Tensor:
        """ITM "match" logits of text-video pairs.

        Args:
            text_ids (Sequence[Tensor]): P captions' token ids
                (``[CLS] ... [SEP]``, unpadded).
            video_tokens (Tensor): (P, L, C) tokens of the paired videos.

        Returns:
            Tensor: (P,) logits of the ITM head's "match" class.
        """
        ids = nn.utils.rnn.pad_sequence(
            list(text_ids),
            batch_first=True,
            padding_value=self.tokenizer.pad_token_id).to(self.temp.device)
        mask = nn.utils.rnn.pad_sequence(
            [torch.ones_like(t) for t in text_ids],
            batch_first=True).to(self.temp.device)
        ids[:, 0] = self.tokenizer.convert_tokens_to_ids('[ENC]')
        logits = self._match_logits(ids, mask, video_tokens.to(self.temp))
        return logits[:, 1]

    @torch.no_grad()
    def itm_rerank(self, sim_t2v: torch.Tensor,
                   video_tokens: Sequence[torch.Tensor],
                   text_ids: Sequence[torch.Tensor], text_rows: Sequence[int],
                   video_rows: Sequence[int]
                   ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Re-rank the ITC top ``itm_topk`` of some queries by ITM.

        A re-ranked candidate scores ``ITM logit + ITC similarity`` (BLIP);
        the others keep their ITC order below every re-ranked one.

        Args:
            sim_t2v (Tensor): (N, V) ITC similarities of all texts and
                videos.
            video_tokens (Sequence[Tensor]): V videos' (L, C) tokens.
            text_ids (Sequence[Tensor]): N captions' unpadded token ids.
            text_rows (Sequence[int]): The text queries to re-rank.
            video_rows (Sequence[int]): The video queries to re-rank.

        Returns:
            tuple[Tensor, Tensor]: Scores text-to-video (N, V) and
            video-to-text (V, N), on the CPU; rows not asked for are zero
            (so that processes sharing the queries can sum them).
        """
        sim_t2v = sim_t2v.float().cpu()
        num_texts, num_videos = sim_t2v.shape
        t2v = torch.zeros(num_texts, num_videos)
        v2t = torch.zeros(num_videos, num_texts)
        for i in text_rows:  # one caption against its top videos
            top_sim, top = sim_t2v[i].topk(min(self.itm_topk, num_videos))
            logits = self.itm_logits([text_ids[i]] * len(top),
                                     torch.stack(
                                         [video_tokens[j] for j in top]))
            t2v[i] = _rerank_row(sim_t2v[i], top, top_sim + logits.cpu())
        for j in video_rows:  # one video against its top captions
            top_sim, top = sim_t2v[:, j].topk(min(self.itm_topk, num_texts))
            tokens = video_tokens[j].expand(len(top), -1, -1)
            logits = self.itm_logits([text_ids[i] for i in top], tokens)
            v2t[j] = _rerank_row(sim_t2v[:, j], top, top_sim + logits.cpu())
        return t2v, v2t


def _rerank_row(sim: torch.Tensor, top: torch.Tensor,
                top_scores: torch.Tensor) -> torch.Tensor:
    """``top_scores`` at ``top``; the other entries keep the order of
    ``sim`` and all score below the lowest of ``top_scores``."""
    out = sim - sim.max() + top_scores.min() - 1
    out[top] = top_scores.float()
    return out
