# Copyright (c) mmvidlm authors. All rights reserved.
import os
import os.path as osp
from typing import List, Optional, Sequence, Tuple, Union

import torch
from mmengine.infer import BaseInferencer
from mmpretrain.structures import DataSample

from mmvidlm.registry import INFERENCERS
from .base import VideoInferencerMixin, VideoInputs, videos_to_list

VIDEO_EXTENSIONS = ('.mp4', '.avi', '.mkv', '.mov', '.webm')


def list_videos(folder: str) -> List[str]:
    """The video files of a folder, sorted by name."""
    videos = sorted(
        osp.join(folder, name) for name in os.listdir(folder)
        if name.lower().endswith(VIDEO_EXTENSIONS))
    if not videos:
        raise FileNotFoundError(
            f'No video ({", ".join(VIDEO_EXTENSIONS)}) in {folder}.')
    return videos


class VideoTextRetrievalMixin(VideoInferencerMixin):
    """Embeddings and scores of a video-text retriever
    (``BlipVideoRetriever``): ITC similarity, re-ranked by ITM when the
    model's ``itm_topk`` > 0, as in its test."""

    @torch.no_grad()
    def encode_videos(self,
                      videos: list,
                      batch_size: int = 8
                      ) -> Tuple[torch.Tensor, Optional[List[torch.Tensor]]]:
        """(V, D) embeddings and, for ITM, each video's (L, C) tokens."""
        feats, tokens = [], []
        # BaseInferencer's preprocess: the text query's overrides it
        for data in BaseInferencer.preprocess(self, videos, batch_size):
            for sample in self.model.test_step(data):
                feats.append(sample.video_feat.float().cpu())
                if 'video_tokens' in sample:
                    tokens.append(sample.video_tokens)
        return torch.stack(feats), tokens or None

    @torch.no_grad()
    def encode_texts(self, texts: Sequence[str]
                     ) -> Tuple[torch.Tensor, List[torch.Tensor]]:
        """(N, D) embeddings and each text's unpadded token ids."""
        text = self.model.data_preprocessor.tokenize(list(texts))
        ids = [
            ids[:int(mask.sum())].cpu()
            for ids, mask in zip(text['input_ids'], text['attention_mask'])
        ]
        return self.model.encode_text(text).float().cpu(), ids

    def scores(self, text_feat: torch.Tensor, text_ids: list,
               video_feat: torch.Tensor, video_tokens: Optional[list],
               text_queries: bool) -> torch.Tensor:
        """Scores of the queries (rows) against the gallery (columns).

        Args:
            text_feat (Tensor): (N, D) text embeddings.
            text_ids (list): N texts' token ids.
            video_feat (Tensor): (V, D) video embeddings.
            video_tokens (list, optional): V videos' tokens, for ITM.
            text_queries (bool): Texts are the queries ((N, V) scores),
                else the videos ((V, N) scores).

        Returns:
            Tensor: The scores, higher is better.
        """
        sim_t2v = text_feat @ video_feat.t()  # (N, V)
        if not (self.model.itm_topk and video_tokens):
            return sim_t2v if text_queries else sim_t2v.t()
        num_texts, num_videos = sim_t2v.shape
        t2v, v2t = self.model.itm_rerank(
            sim_t2v, video_tokens, text_ids,
            range(num_texts) if text_queries else [],
            [] if text_queries else range(num_videos))
        return t2v if text_queries else v2t

    def _init_visualizer(self, cfg) -> None:
        return None

    def visualize(self, inputs: list, preds: list, **kwargs) -> None:
        """Rankings are lists: nothing to draw."""
        return None

    def postprocess(self,
                    preds: List[torch.Tensor],
                    visualization: None,
                    return_datasamples: bool = False,
                    topk: int = 5,
                    print_result: bool = False) -> dict:
        """Each query's ``topk`` best gallery items, as MMPretrain's
        retrieval Inferencers write them (``match_score``, ``sample_idx``,
        ``sample``), or data samples with ``pred_score`` over the gallery.
        """
        if return_datasamples:
            results = [DataSample().set_pred_score(row) for row in preds]
        else:
            results = []
            for row in preds:
                score, index = row.topk(min(topk, len(row)))
                results.append([
                    dict(
                        match_score=float(s),
                        sample_idx=int(i),
                        sample=self._gallery_item(int(i)))
                    for s, i in zip(score, index)
                ])
        if print_result:
            print(results)
        return dict(predictions=results, visualization=visualization)


@INFERENCERS.register_module(name='text-to-video-retrieval')
@INFERENCERS.register_module()
class TextToVideoRetrievalInferencer(VideoTextRetrievalMixin, BaseInferencer):
    """Rank a gallery of videos for each text query, as MMPretrain's
    ``TextToImageRetrievalInferencer`` ranks images.

    Args:
        model (str | Config | nn.Module): Config path or object of a
            retriever, or a model built by :func:`mmvidlm.apis.init_model`.
        prototype (str | list): The gallery: a folder of videos, or a list
            of video paths and (T, H, W, 3) uint8 arrays.
        weights (str, optional): Checkpoint. Defaults to None.
        device (str, optional): Device; None picks one. Defaults to None.
        prepare_batch_size (int): Videos per forward pass when embedding the
            gallery. Defaults to 8.
        show_progress (bool): Show a progress bar over the batches.
            Defaults to False.

    Example:
        >>> inferencer = TextToVideoRetrievalInferencer(
        ...     'configs/demo/tokenmix_blip-tiny_synthetic-retrieval.py',
        ...     prototype='videos/', weights='epoch_12.pth', device='cpu')
        >>> inferencer('a red circle moves to the left')['predictions'][0]
        [{'match_score': 0.83, 'sample_idx': 3, 'sample': 'videos/c.mp4'},
         ...]
    """
    postprocess_kwargs: set = {'topk', 'print_result'}

    def __init__(self,
                 model,
                 prototype: Union[str, list],
                 weights: Optional[str] = None,
                 device: Optional[str] = None,
                 prepare_batch_size: int = 8,
                 show_progress: bool = False):
        super().__init__(model, weights, device, show_progress=show_progress)
        if isinstance(prototype, str) and osp.isdir(prototype):
            prototype = list_videos(prototype)
        self.prototype = videos_to_list(prototype)
        self.video_feat, self.video_tokens = self.encode_videos(
            self.prototype, prepare_batch_size)

    def _gallery_item(self, index: int):
        video = self.prototype[index]
        return video if isinstance(video, str) else f'array {index}'

    def _inputs_to_list(self, inputs: Union[str, Sequence[str]]) -> list:
        texts = [inputs] if isinstance(inputs, str) else list(inputs)
        if not all(isinstance(t, str) for t in texts):
            raise TypeError('Text queries must be strings.')
        return texts

    def preprocess(self, inputs: list, batch_size: int = 1, **kwargs):
        """Chunks of ``batch_size`` texts (tokenised in :meth:`forward`)."""
        yield from self._get_chunk_data(iter(inputs), batch_size)

    def forward(self, texts: list, **kwargs) -> List[torch.Tensor]:
        """Each text's (V,) scores against the gallery."""
        text_feat, text_ids = self.encode_texts(texts)
        return list(
            self.scores(
                text_feat,
                text_ids,
                self.video_feat,
                self.video_tokens,
                text_queries=True))

    def __call__(self,
                 inputs: Union[str, Sequence[str]],
                 return_datasamples: bool = False,
                 batch_size: int = 1,
                 **kwargs) -> dict:
        """Rank the gallery for each text.

        Args:
            inputs (str | list[str]): The text queries.
            return_datasamples (bool): Return MMPretrain's ``DataSample``
                with ``pred_score`` (V,) instead of top-k lists. Defaults to
                False.
            batch_size (int): Texts per forward pass. Defaults to 1.
            topk (int): Videos listed per query. Defaults to 5.
            print_result (bool): Print the rankings. Defaults to False.

        Returns:
            dict: ``predictions``: one per query.
        """
        return super().__call__(inputs, return_datasamples, batch_size,
                                **kwargs)


@INFERENCERS.register_module(name='video-to-text-retrieval')
@INFERENCERS.register_module()
class VideoToTextRetrievalInferencer(VideoTextRetrievalMixin, BaseInferencer):
    """Rank a gallery of texts for each video query.

    Args:
        model (str | Config | nn.Module): Config path or object of a
            retriever, or a model built by :func:`mmvidlm.apis.init_model`.
        prototype (str | list[str]): The gallery: a list of texts, or a text
            file with one text per line.
        weights (str, optional): Checkpoint. Defaults to None.
        device (str, optional): Device; None picks one. Defaults to None.
        show_progress (bool): Show a progress bar over the batches.
            Defaults to False.
    """
    postprocess_kwargs: set = {'topk', 'print_result'}

    def __init__(self,
                 model,
                 prototype: Union[str, Sequence[str]],
                 weights: Optional[str] = None,
                 device: Optional[str] = None,
                 show_progress: bool = False):
        super().__init__(model, weights, device, show_progress=show_progress)
        if isinstance(prototype, str):
            with open(prototype) as f:
                prototype = [line.strip() for line in f if line.strip()]
        self.prototype = list(prototype)
        if not self.prototype:
            raise ValueError('The text gallery is empty.')
        self.text_feat, self.text_ids = self.encode_texts(self.prototype)

    def _gallery_item(self, index: int) -> str:
        return self.prototype[index]

    @torch.no_grad()
    def forward(self, data: dict, **kwargs) -> List[torch.Tensor]:
        """Each video's (N,) scores against the gallery."""
        samples = self.model.test_step(data)
        video_feat = torch.stack([s.video_feat.float().cpu() for s in samples])
        tokens = [s.video_tokens for s in samples if 'video_tokens' in s]
        return list(
            self.scores(
                self.text_feat,
                self.text_ids,
                video_feat,
                tokens or None,
                text_queries=False))

    def __call__(self,
                 inputs: VideoInputs,
                 return_datasamples: bool = False,
                 batch_size: int = 1,
                 **kwargs) -> dict:
        """Rank the texts for each video.

        Args:
            inputs: A video path, a (T, H, W, 3) uint8 RGB array, or a list
                of them.
            return_datasamples (bool): Return MMPretrain's ``DataSample``
                with ``pred_score`` (N,) instead of top-k lists. Defaults to
                False.
            batch_size (int): Videos per forward pass. Defaults to 1.
            topk (int): Texts listed per query. Defaults to 5.
            print_result (bool): Print the rankings. Defaults to False.

        Returns:
            dict: ``predictions``: one per video.
        """
        return super().__call__(inputs, return_datasamples, batch_size,
                                **kwargs)
