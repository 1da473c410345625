# Copyright (c) mmvidlm authors. All rights reserved.
from typing import Dict, List, Optional

import mmengine.dist as dist
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModel

from mmvidlm.registry import MODELS


def gather_with_local_grad(x: torch.Tensor) -> torch.Tensor:
    """All ranks' ``x`` concatenated in rank order; the gradient flows
    through this rank's part (each rank back-propagates its own loss)."""
    if dist.get_world_size() == 1:
        return x
    parts = dist.all_gather(x.detach())
    parts[dist.get_rank()] = x
    return torch.cat(parts)


@MODELS.register_module()
class BlipVideoRetriever(BaseModel):
    """BLIP's text-video retrieval model: video and text embeddings, ITC.

    The video embedding is the mean over frames of the video encoder's
    [CLS] tokens through ``vision_neck``; the text embedding is the [CLS]
    token of BLIP's BERT text encoder (MMPretrain's ``XBertEncoder``,
    unimodal mode) through ``text_neck``. Training minimises the
    contrastive (ITC) loss with a learnable temperature; in-batch negatives
    are gathered from every process, and captions of the same video (same
    ``video_idx``) count as positives. Testing outputs the normalised
    embeddings; :class:`mmvidlm.evaluation.RetrievalMetric` ranks them.

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
        multimodal_head (dict, optional): BLIP's ITM head; kept so that
            checkpoints load whole. Defaults to None.
        temperature (float): Initial temperature. Defaults to 0.07.
        init_cfg (dict, optional): Initialisation.
    """

    def __init__(self,
                 backbone: dict,
                 text_backbone: dict,
                 vision_neck: dict,
                 text_neck: dict,
                 data_preprocessor: dict,
                 multimodal_head: Optional[dict] = None,
                 temperature: float = 0.07,
                 init_cfg: Optional[dict] = None):
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.text_backbone = MODELS.build(text_backbone)
        self.vision_neck = MODELS.build(vision_neck)
        self.text_neck = MODELS.build(text_neck)
        if multimodal_head is not None:
            self.multimodal_head = MODELS.build(multimodal_head)
        self.temp = nn.Parameter(torch.tensor(float(temperature)))

    def encode_video(self, video: torch.Tensor) -> torch.Tensor:
        """(B, C, T, H, W) clips -> (B, D) normalised embeddings."""
        tokens = self.backbone(video)
        if tokens.ndim != 4:
            raise ValueError(
                "The retriever needs the encoder's tokens: set out_type="
                f"'raw' (got an output of shape {tuple(tokens.shape)}).")
        cls = tokens[:, :, 0].mean(dim=1)  # (B, T, N, C) -> (B, C)
        return F.normalize(self.vision_neck(cls), dim=-1)

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
        """Set ``video_feat`` (D,) and ``text_feat`` (n_i, D) per sample."""
        video_feat = self.encode_video(video)
        text_feat = self.encode_text(text) if text is not None else None
        start = 0
        for sample, v in zip(data_samples, video_feat):
            sample.video_feat = v
            if text_feat is None:
                continue
            texts = sample.get('text')
            n = 1 if isinstance(texts, str) else len(texts)
            sample.text_feat = text_feat[start:start + n]
            start += n
        return data_samples
