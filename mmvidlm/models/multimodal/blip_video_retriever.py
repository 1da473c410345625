# Copyright (c) mmvidlm authors. All rights reserved.
from typing import Dict, List, Optional, Sequence, Tuple

import mmengine.dist as dist
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModel

from mmvidlm.registry import MODELS
from ..utils.trainable import TrainableMixin


def gather_with_local_grad(x: torch.Tensor) -> torch.Tensor:
    """All ranks' ``x`` concatenated in rank order; the gradient flows
    through this rank's part (each rank back-propagates its own loss)."""
    if dist.get_world_size() == 1:
        return x
    parts = dist.all_gather(x.detach())
    parts[dist.get_rank()] = x
    return torch.cat(parts)


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
        self.apply_trainable(trainable)

    @property
    def tokenizer(self):
        return self.data_preprocessor.tokenizer

    def encode_video(self, video: torch.Tensor) -> torch.Tensor:
        """(B, C, T, H, W) clips -> (B, D) normalised embeddings."""
        return self._encode_video(video)[0]

    def _encode_video(
            self, video: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Normalised embeddings (B, D) and the encoder's tokens (B, T, N,
        C)."""
        tokens = self.backbone(video)
        if tokens.ndim != 4:
            raise ValueError(
                "The retriever needs the encoder's tokens: set out_type="
                f"'raw' (got an output of shape {tuple(tokens.shape)}).")
        cls = tokens[:, :, 0].mean(dim=1)  # (B, T, N, C) -> (B, C)
        return F.normalize(self.vision_neck(cls), dim=-1), tokens

    def encode_text(self, text: Dict[str, torch.Tensor]) -> torch.Tensor:
        """Tokens -> (N, D) normalised embeddings."""
        out = self.text_backbone(
            text['input_ids'],
            attention_mask=text['attention_mask'],
            return_dict=True,
            mode='text')
        return F.normalize(
            self.text_neck(out.last_hidden_state[:, 0]), dim=-1)

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
        """Symmetric ITC loss over the batches of all processes.

        Every process computes the loss of the whole (gathered) batch, all
        captions against all videos; the other processes' embeddings are
        constants, this process's carry the gradient. So each process gets
        the exact gradient of its own samples' embeddings, and the loss
        equals that of one process holding the whole batch (DDP's averaging
        scales the gradient by 1 / world size, to which AdamW is
        insensitive).
        """
        if text is None or len(text['input_ids']) != len(video):
            raise ValueError('Training the retriever needs exactly one '
                             '`text` per data sample.')
        with torch.no_grad():
            self.temp.clamp_(0.001, 0.5)  # as BLIP
        video_feat = gather_with_local_grad(self.encode_video(video))
        text_feat = gather_with_local_grad(self.encode_text(text))
        idx = torch.tensor([s.video_idx for s in data_samples],
                           device=video.device)
        idx = torch.cat(dist.all_gather(idx))
        # Captions of the same video are all positives.
        positive = (idx[:, None] == idx[None]).float()
        targets = positive / positive.sum(dim=1, keepdim=True)
        sim_v2t = video_feat @ text_feat.t() / self.temp
        loss_v2t = -(F.log_softmax(sim_v2t, dim=1) * targets).sum(1).mean()
        loss_t2v = -(F.log_softmax(sim_v2t.t(), dim=1) *
                     targets).sum(1).mean()
        return dict(itc_loss=(loss_v2t + loss_t2v) / 2)

    def predict(self, video: torch.Tensor,
                text: Optional[Dict[str, torch.Tensor]],
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
        video_tokens = video_tokens.to(self.temp)
        out = self.text_backbone(
            ids,
            attention_mask=mask,
            encoder_hidden_states=video_tokens,
            encoder_attention_mask=video_tokens.new_ones(
                video_tokens.shape[:2], dtype=torch.long),
            return_dict=True)
        return self.multimodal_head((out.last_hidden_state[:, 0], ))[:, 1]

    @torch.no_grad()
    def itm_rerank(
        self, sim_t2v: torch.Tensor, video_tokens: Sequence[torch.Tensor],
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
                                     torch.stack([video_tokens[j]
                                                  for j in top]))
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
