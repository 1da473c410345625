# Copyright (c) mmvidlm authors. All rights reserved.
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn as nn
from mmengine.model import BaseModel

from mmvidlm.registry import MODELS
from ..utils.trainable import TrainableMixin

GENERATION_DEFAULTS = dict(
    num_beams=3, max_length=20, min_length=5, repetition_penalty=1.0)


@MODELS.register_module()
class BlipVideoCaptioner(TrainableMixin, BaseModel):
    """BLIP's captioner on video: all frames' tokens feed the text decoder.

    A video encoder maps a clip to tokens (B, T, N, C); the tokens of all
    frames are flattened to (B, T*N, C) and are read by the cross-attention
    of BLIP's BERT text decoder (MMPretrain's ``XBertLMHeadDecoder`` inside its
    ``SeqGenerationHead``, whose LM head is the language head). Training is
    teacher-forced language modelling on ``[DEC] prompt caption [SEP]``;
    testing decodes greedily or with beam search.

    As in BLIP (and the Token Mixing reference), the decoder reads the
    encoder's tokens directly: there is no visual projection when the
    encoder's width is the decoder's ``encoder_width``. Only when they
    differ (an encoder BLIP did not pair with this decoder) a linear
    projection ``vision_proj`` maps one to the other; it is then new and
    needs training.

    Parameter names: ``backbone.*`` (the video encoder) and
    ``seq_gen_head.decoder.{bert,cls}.*`` as in MMPretrain's
    ``BlipCaption``, so BLIP checkpoints converted for MMPretrain load.

    Args:
        backbone (dict): The video encoder; must return all tokens
            (``out_type='raw'``, (B, T, N, C)).
        decoder_head (dict): ``SeqGenerationHead`` with BLIP's decoder.
        data_preprocessor (dict): ``VideoTextDataPreprocessor`` config; its
            tokenizer is the captioner's.
        prompt (str): Text the decoder starts from, BLIP's
            ``'a picture of '`` (the Token Mixing reference uses ``''``);
            not part of the predicted caption. Defaults to
            ``'a picture of '``.
        generation_cfg (dict): ``num_beams`` (1: greedy), ``max_length``
            and ``min_length`` (new tokens after the prompt, [SEP]
            included) and ``repetition_penalty``, passed to MMPretrain's
            ``SeqGenerationHead.predict`` (Hugging Face's ``generate``).
        trainable (Sequence[str], optional): What trains outside the video
            encoder (which has its own ``trainable``); the rest is frozen
            when the model is built. Groups: ``'lh'`` (the language head as
            the Token Mixing reference trains it: the decoder's embeddings,
            whose word embeddings are the LM head's tied output matrix,
            and the LM head ``seq_gen_head.decoder.cls``), ``'vision_proj'``
            (only when the widths differ, see above), or paths of
            submodules (see :class:`~mmvidlm.models.utils.TrainableMixin`).
            None trains everything. Defaults to None.
        init_cfg (dict, optional): Initialisation, e.g.
            ``dict(type='Pretrained', checkpoint=URL)``.
    """

    trainable_aliases = dict(
        lh=('seq_gen_head.decoder.bert.embeddings',
            'seq_gen_head.decoder.cls'))

    def __init__(self,
                 backbone: dict,
                 decoder_head: dict,
                 data_preprocessor: dict,
                 prompt: str = 'a picture of ',
                 generation_cfg: dict = GENERATION_DEFAULTS,
                 trainable: Optional[Sequence[str]] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.seq_gen_head = MODELS.build(decoder_head)
        visual_dims = self.backbone.embed_dims
        text_dims = self.seq_gen_head.decoder.config.encoder_width
        self.vision_proj = (
            nn.Linear(visual_dims, text_dims)
            if visual_dims != text_dims else nn.Identity())
        self.prompt = prompt
        self.generation_cfg = {**GENERATION_DEFAULTS, **generation_cfg}
        cfg = self.generation_cfg
        if (cfg['num_beams'] < 1 or cfg['max_length'] < 1
                or cfg['min_length'] > cfg['max_length']):
            raise ValueError(
                'generation_cfg needs num_beams >= 1 and 1 <= max_length, '
                f'min_length <= max_length; got {generation_cfg}.')
        self._start_ids = None
        self.apply_trainable(trainable)

    @property
    def tokenizer(self):
        return self.data_preprocessor.tokenizer

    @property
    def start_ids(self) -> torch.Tensor:
        """``[DEC] prompt``: what every caption starts with (tokenised on
        first use: building the model needs no tokenizer)."""
        if self._start_ids is None:
            prompt_ids = self.tokenizer(
                self.prompt, add_special_tokens=False).input_ids
            self._start_ids = torch.tensor([self.tokenizer.bos_token_id] +
                                           prompt_ids)
        device = next(self.seq_gen_head.parameters()).device
        return self._start_ids.to(device)

    def encode_video(self, video: torch.Tensor) -> torch.Tensor:
        """(B, C, T, H, W) clips -> (B, T*N, C') tokens for the decoder."""
        tokens = self.backbone(video)
        if tokens.ndim != 4:
            raise ValueError(
                'The captioner needs every token of every frame: set the '
                "video encoder's out_type='raw' (got an output of shape "
                f'{tuple(tokens.shape)}).')
        return self.vision_proj(tokens.flatten(1, 2))  # (B, T*N, C')

    def forward(self,
                video: torch.Tensor,
                text: Optional[Dict[str, torch.Tensor]] = None,
                data_samples: Optional[list] = None,
                mode: str = 'tensor'):
        """``'loss'``, ``'predict'`` or ``'tensor'`` (the visual tokens)."""
        if mode == 'loss':
            return self.loss(video, text)
        if mode == 'predict':
            return self.predict(video, data_samples)
        if mode == 'tensor':
            return self.encode_video(video)
        raise RuntimeError(f'Invalid mode {mode!r}.')

    def _decoder_inputs(self, text: Dict[str, torch.Tensor]):
        """``[CLS] caption [SEP] [PAD]`` -> ``[DEC] prompt caption [SEP]``."""
        ids, mask = text['input_ids'], text['attention_mask']
        B = ids.shape[0]
        start = self.start_ids.expand(B, -1)
        input_ids = torch.cat([start, ids[:, 1:]], dim=1)
        attn = torch.cat([torch.ones_like(start), mask[:, 1:]], dim=1)
        labels = input_ids.masked_fill(attn == 0, -100)
        labels[:, :start.shape[1]] = -100  # no loss on [DEC] and the prompt
        return input_ids, attn, labels

    def loss(self, video: torch.Tensor,
             text: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
        """Teacher-forced language-modelling loss of the captions."""
        if text is None:
            raise ValueError('Training the captioner needs a `text` field '
                             '(one caption) in every data sample.')
        visual = self.encode_video(video)
        input_ids, attn, labels = self._decoder_inputs(text)
        # SeqGenerationHead's forward takes no text attention mask: the
        # causal mask suffices, as padding only follows the labels' end.
        return self.seq_gen_head.loss(
            input_ids=input_ids,
            encoder_hidden_states=visual,
            encoder_attention_mask=visual.new_ones(
                visual.shape[:2], dtype=torch.long),
            labels=labels)

    def generate_tokens(self, video: torch.Tensor) -> torch.Tensor:
        """(B, L) caption tokens of a batch of clips, after ``[DEC]`` and
        the prompt; ``[SEP]`` and padding (0) end the shorter ones."""
        visual = self.encode_video(video)
        start = self.start_ids.expand(len(visual), -1)
        cfg = dict(self.generation_cfg)
        # Hugging Face's lengths count the prompt too.
        cfg['max_length'] += start.shape[1]
        cfg['min_length'] += start.shape[1]
        tokens = self.seq_gen_head.predict(
            input_ids=start,
            encoder_hidden_states=visual,
            sep_token_id=self.tokenizer.sep_token_id,
            pad_token_id=self.tokenizer.pad_token_id,
            **cfg)
        return tokens[:, start.shape[1]:]

    def generate(self, video: torch.Tensor) -> List[str]:
        """Captions of a batch of clips."""
        return [
            t.strip() for t in self.tokenizer.batch_decode(
                self.generate_tokens(video), skip_special_tokens=True)
        ]

    def predict(self,
                video: torch.Tensor,
                data_samples: Optional[list] = None) -> list:
        """Set ``pred_caption`` of every data sample."""
        from mmaction.structures import ActionDataSample
        captions = self.generate(video)
        if data_samples is None:
            data_samples = [ActionDataSample() for _ in captions]
        for sample, caption in zip(data_samples, captions):
            sample.pred_caption = caption
        return data_samples
