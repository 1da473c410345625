# Copyright (c) mmvidlm authors. All rights reserved.
from typing import List, Optional, Sequence, Tuple, Union

import torch
from mmaction.models import ActionDataPreprocessor

from mmvidlm.registry import MODELS, TOKENIZER
from .tokenizer import local_tokenizer_folder

#: CLIP's (and BLIP's) image normalisation, in 0-255 RGB.
BLIP_MEAN = (122.770938, 116.7460125, 104.09373615)
BLIP_STD = (68.5005327, 66.6321579, 70.32316305)


@MODELS.register_module()
class VideoTextDataPreprocessor(ActionDataPreprocessor):
    """Normalise video clips and tokenise their texts.

    Clips come from MMAction2's pipeline as ``(1, C, T, H, W)`` per sample
    (``FormatShape(input_format='NCTHW')`` with one clip) and leave as a
    ``(B, C, T, H, W)`` batch. Texts are read from each data sample's
    ``text`` field: a string (one text per sample, training) or a list of
    strings (all texts of a video, retrieval testing); they are tokenised
    together with BLIP's tokenizer into ``[CLS] ... [SEP] [PAD]...``. Models
    swap the first token for ``[DEC]`` or ``[ENC]`` where BLIP does.

    Args:
        mean (Sequence[float]): Pixel mean, RGB 0-255. Defaults to CLIP's.
        std (Sequence[float]): Pixel std. Defaults to CLIP's.
        tokenizer (dict): Config of the tokenizer, e.g.
            ``dict(type='BlipTokenizer', name_or_path='bert-base-uncased')``.
            Built when first used, so that tools that only count the
            encoder (``get_flops.py``, ``count_params.py``) need none; a
            local ``name_or_path`` that does not exist fails at once.
        max_txt_len (int): Texts are truncated to this many tokens,
            [CLS] and [SEP] included. Defaults to 35.
        padding (str): ``'longest'`` (pad to the batch's longest text) or
            ``'max_length'`` (pad to ``max_txt_len``). Defaults to
            ``'longest'``.
        format_shape (str): Layout of the clips. Defaults to ``'NCTHW'``.
    """

    def __init__(self,
                 mean: Sequence[float] = BLIP_MEAN,
                 std: Sequence[float] = BLIP_STD,
                 tokenizer: dict = dict(
                     type='BlipTokenizer', name_or_path='bert-base-uncased'),
                 max_txt_len: int = 35,
                 padding: str = 'longest',
                 format_shape: str = 'NCTHW'):
        super().__init__(mean=mean, std=std, format_shape=format_shape)
        if padding not in ('longest', 'max_length'):
            raise ValueError("padding must be 'longest' or 'max_length', "
                             f'got {padding!r}')
        if 'name_or_path' in tokenizer:
            local_tokenizer_folder(tokenizer['name_or_path'])
        self.tokenizer_cfg = tokenizer
        self._tokenizer = None
        self.max_txt_len = max_txt_len
        self.padding = padding

    @property
    def tokenizer(self):
        """The tokenizer, built from ``tokenizer_cfg`` on first use."""
        if self._tokenizer is None:
            self._tokenizer = TOKENIZER.build(self.tokenizer_cfg)
        return self._tokenizer

    def tokenize(self, texts: List[str]) -> dict:
        """Tokenise texts into ``input_ids`` and ``attention_mask``.

        Args:
            texts (list[str]): The texts.

        Returns:
            dict: ``input_ids`` and ``attention_mask``, (N, L) long tensors
            on this module's device.
        """
        tokens = self.tokenizer(
            texts,
            padding=self.padding,
            truncation=True,
            max_length=self.max_txt_len,
            return_tensors='pt')
        return dict(
            input_ids=tokens.input_ids.to(self.mean.device),
            attention_mask=tokens.attention_mask.to(self.mean.device))

    def preprocess(self,
                   inputs: List[torch.Tensor],
                   data_samples: Optional[list],
                   training: bool = False) -> Tuple:
        video, data_samples = super().preprocess(inputs, data_samples,
                                                 training)
        if video.ndim == 6:  # (B, views, C, T, H, W)
            if video.shape[1] != 1:
                raise ValueError(
                    'Video-language models take one clip per video: use '
                    f'num_clips=1 and one crop, got {video.shape[1]} views.')
            video = video.squeeze(1)
        return video, data_samples

    def forward(self, data: dict, training: bool = False) -> dict:
        """Normalise the clips, tokenise the texts.

        Returns:
            dict: ``video`` (B, C, T, H, W), ``text`` (the tokens of all
            texts, or None when no sample has one) and ``data_samples``.
        """
        data = self.cast_data(data)
        video, data_samples = self.preprocess(data['inputs'],
                                              data.get('data_samples'),
                                              training)
        texts = collect_texts(data_samples)
        return dict(
            video=video,
            text=self.tokenize(texts) if texts else None,
            data_samples=data_samples)


def collect_texts(data_samples: Optional[list]) -> List[str]:
    """The ``text`` of every sample, lists flattened in order."""
    texts: List[str] = []
    for sample in data_samples or []:
        text: Union[str, Sequence[str], None] = sample.get('text')
        if text is None:
            continue
        texts.extend([text] if isinstance(text, str) else list(text))
    return texts
