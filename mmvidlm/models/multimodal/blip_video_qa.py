# Copyright (c) mmvidlm authors. All rights reserved.
import os.path as osp
from typing import Dict, List, Optional, Sequence, Union

import mmengine
import torch
import torch.nn as nn
from mmengine.model import BaseModel

from mmvidlm.registry import MODELS
from ..utils.trainable import TrainableMixin


def answer_log_likelihood(logits: torch.Tensor, input_ids: torch.Tensor,
                          attention_mask: torch.Tensor) -> torch.Tensor:
    """Log-likelihood of each answer under the decoder.

    Args:
        logits (Tensor): (N, L, V) decoder logits of ``input_ids``.
        input_ids (Tensor): (N, L) ``[DEC] answer [SEP] [PAD]...``.
        attention_mask (Tensor): (N, L) 1 on real tokens.

    Returns:
        Tensor: (N, ) ``sum_t log p(token_t+1 | tokens_<=t)`` over the
        answer's tokens and its ``[SEP]`` (``[DEC]`` is given, padding is
        not scored).
    """
    log_probs = logits[:, :-1].float().log_softmax(dim=-1)
    token_log_probs = log_probs.gather(-1, input_ids[:, 1:, None])[..., 0]
    return (token_log_probs * attention_mask[:, 1:]).sum(dim=1)


@MODELS.register_module()
class BlipVideoQA(TrainableMixin, BaseModel):
    """BLIP's question answering model on video.

    The video encoder maps a clip to tokens (B, T, N, C); the tokens of all
    frames are flattened to (B, T*N, C) and read by the cross-attention of
    BLIP's question encoder (MMPretrain's ``XBertEncoder``, its first token
    ``[ENC]``); BLIP's answer decoder (MMPretrain's ``XBertLMHeadDecoder``
    inside a ``VQAGenerationHead``) reads the question encoder's states.
    As in the Token Mixing authors' ``models/blip_video_vqa.py``:

    * training: teacher-forced ``[DEC] answer [SEP]`` with the head's loss
      (per answer, summed over tokens, times ``answer_weight``, divided by
      the batch size);
    * ``inference_method='rank'``: the ``num_ans_candidates`` answers of
      ``answer_list`` whose first token is most probable after ``[DEC]``
      are scored by their log-likelihood under the decoder, the best
      wins (the reference's ``k_test``);
    * ``inference_method='generate'``: the head's beam search from
      ``[DEC]`` (``num_beams``, at most 10 tokens, as the reference).

    The reference (and MMPretrain's ``VQAGenerationHead.predict_rank``)
    rank with the decoder's training loss, whose label smoothing (0.1)
    adds a term that depends on the whole predicted distribution; here the
    candidates are ranked by their likelihood.

    Parameter names: ``backbone.*`` (the video encoder),
    ``multimodal_backbone.*`` and ``vqa_head.decoder.*`` as in MMPretrain's
    ``BlipVQA``, so BLIP VQA checkpoints (Salesforce's
    ``text_encoder``/``text_decoder`` or MMPretrain's) load.

    Args:
        backbone (dict): The video encoder; must return all tokens
            (``out_type='raw'``, (B, T, N, C)) with the question encoder's
            ``encoder_width`` channels.
        multimodal_backbone (dict): The question encoder,
            ``mmpretrain.XBertEncoder``.
        head (dict): ``mmpretrain.VQAGenerationHead`` with BLIP's decoder;
            its loss and its generation (``num_beams``) are used, its
            ``inference_method`` is left at ``'generate'``.
        data_preprocessor (dict): ``VideoTextDataPreprocessor`` config; it
            tokenises the questions (each sample's ``text``) and its
            tokenizer is the model's.
        answer_list (list[str] | str, optional): Candidate answers for
            ranking, or the path of a JSON list of them (MSRVTT-QA's
            ``answer_list.json``). Required by ``inference_method='rank'``.
        inference_method (str): ``'rank'`` or ``'generate'``.
            Defaults to ``'rank'``.
        num_ans_candidates (int): How many answers are scored in full
            (the reference's ``k_test``). Defaults to 128.
        answer_weight (float): Loss weight of each answer (BLIP's 0.2).
            Defaults to 0.2.
        label_smoothing (float): Label smoothing of the answer loss (that of
            BLIP's decoder) unless ``head`` sets its own ``loss``.
            Defaults to 0.1.
        trainable (Sequence[str], optional): What trains outside the video
            encoder (which has its own ``trainable``); the rest is frozen
            when the model is built. Groups: ``'question_encoder'``
            (``multimodal_backbone``), ``'answer_decoder'``
            (``vqa_head.decoder``), ``'lh'`` (its language head), or paths
            of submodules (see :class:`~mmvidlm.models.utils.TrainableMixin`).
            None trains everything, as the reference. Defaults to None.
        init_cfg (dict, optional): Initialisation, e.g.
            ``dict(type='Pretrained', checkpoint=URL)``.
    """

    trainable_aliases = dict(
        question_encoder=('multimodal_backbone', ),
        answer_decoder=('vqa_head.decoder', ),
        lh=('vqa_head.decoder.cls', ))

    def __init__(self,
                 backbone: dict,
                 multimodal_backbone: dict,
                 head: dict,
                 data_preprocessor: dict,
                 answer_list: Union[Sequence[str], str, None] = None,
                 inference_method: str = 'rank',
                 num_ans_candidates: int = 128,
                 answer_weight: float = 0.2,
                 label_smoothing: float = 0.1,
                 trainable: Optional[Sequence[str]] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if inference_method not in ('rank', 'generate'):
            raise ValueError("inference_method must be 'rank' or 'generate', "
                             f'got {inference_method!r}.')
        if num_ans_candidates < 1:
            raise ValueError('num_ans_candidates must be >= 1, got '
                             f'{num_ans_candidates}.')
        self.backbone = MODELS.build(backbone)
        self.multimodal_backbone = MODELS.build(multimodal_backbone)
        head = dict(head)
        head.setdefault(
            'loss',
            nn.CrossEntropyLoss(
                reduction='none', label_smoothing=label_smoothing))
        self.vqa_head = MODELS.build(head)
        visual_dims = self.backbone.embed_dims
        encoder_width = self.multimodal_backbone.config.encoder_width
        if visual_dims != encoder_width:
            raise ValueError(
                f'The video encoder gives {visual_dims}-d tokens but the '
                f'question encoder reads {encoder_width}-d ones: set '
                f'encoder_width={visual_dims} in its med_config.')
        self.inference_method = inference_method
        self.num_ans_candidates = num_ans_candidates
        self.answer_weight = answer_weight
        self.answer_list = self._load_answer_list(answer_list)
        if inference_method == 'rank' and not self.answer_list:
            raise ValueError("inference_method='rank' needs `answer_list` "
                             '(a list of answers or a JSON file of one).')
        if self.answer_list:
            ids, mask = self._tokenize_answers(self.answer_list)
            # (A, L) candidates as the decoder reads them, tokenised once.
            self.register_buffer('answer_ids', ids, persistent=False)
            self.register_buffer('answer_mask', mask, persistent=False)
        self.apply_trainable(trainable)

    @staticmethod
    def _load_answer_list(answer_list) -> List[str]:
        if answer_list is None:
            return []
        source = answer_list
        if isinstance(answer_list, str):
            if not osp.isfile(answer_list):
                raise FileNotFoundError(
                    f'answer_list {answer_list!r} not found: prepare it '
                    '(MSRVTT-QA: tools/data/msrvtt/prepare_qa_annotations.py)'
                    ' or set model.answer_list.')
            answer_list = mmengine.load(answer_list, file_format='json')
        if (not isinstance(answer_list, (list, tuple)) or not answer_list
                or not all(isinstance(a, str) for a in answer_list)):
            raise ValueError(
                f'answer_list {source!r}: expected a non-empty list of '
                'strings (e.g. MSRVTT-QA answer_list.json).')
        return list(answer_list)

    @property
    def tokenizer(self):
        return self.data_preprocessor.tokenizer

    def _tokenize_answers(self, answers: List[str]):
        """``[DEC] answer [SEP] [PAD]...`` ids and mask, (N, L) each."""
        tokens = self.tokenizer(
            answers, padding='longest', return_tensors='pt')
        ids = tokens.input_ids
        ids[:, 0] = self.tokenizer.bos_token_id
        return ids, tokens.attention_mask

    def encode_video(self, video: torch.Tensor) -> torch.Tensor:
        """(B, C, T, H, W) clips -> (B, T*N, C) tokens of all frames."""
        tokens = self.backbone(video)
        if tokens.ndim != 4:
            raise ValueError(
                'Question answering needs every token of every frame: set '
                "the video encoder's out_type='raw' (got an output of shape "
                f'{tuple(tokens.shape)}).')
        return tokens.flatten(1, 2)  # (B, T*N, C)

    def encode_question(self, video: torch.Tensor,
                        text: Dict[str, torch.Tensor]) -> torch.Tensor:
        """Question states (B, L, C) grounded in the video's tokens."""
        if text is None:
            raise ValueError('Question answering needs a `text` field (the '
                             'question) in every data sample.')
        visual = self.encode_video(video)
        input_ids = text['input_ids'].clone()
        input_ids[:, 0] = self.tokenizer.enc_token_id  # [CLS] -> [ENC]
        return self.multimodal_backbone(
            input_ids,
            attention_mask=text['attention_mask'],
            encoder_hidden_states=visual,
            encoder_attention_mask=visual.new_ones(
                visual.shape[:2], dtype=torch.long),
            return_dict=True).last_hidden_state

    def forward(self,
                video: torch.Tensor,
                text: Optional[Dict[str, torch.Tensor]] = None,
                data_samples: Optional[list] = None,
                mode: str = 'tensor'):
        """``'loss'``, ``'predict'`` or ``'tensor'`` (the question states)."""
        if mode == 'loss':
            return self.loss(video, text, data_samples)
        if mode == 'predict':
            return self.predict(video, text, data_samples)
        if mode == 'tensor':
            return self.encode_question(video, text)
        raise RuntimeError(f'Invalid mode {mode!r}.')

    def loss(self, video: torch.Tensor, text: Dict[str, torch.Tensor],
             data_samples: list) -> Dict[str, torch.Tensor]:
        """Teacher-forced answer loss of every sample's ``gt_answer``."""
        states = self.encode_question(video, text)
        answers, counts = [], []
        for sample in data_samples:
            gt = sample.get('gt_answer')
            gt = [gt] if isinstance(gt, str) else list(gt or [])
            if not gt:
                raise ValueError('Training needs a `gt_answer` in every '
                                 'data sample (add it to PackActionInputs '
                                 "' algorithm_keys).")
            answers += gt
            counts.append(len(gt))
        ids, mask = self._tokenize_answers(answers)
        ids, mask = ids.to(states.device), mask.to(states.device)
        counts = torch.tensor(counts, device=states.device)
        feats = dict(
            answer_input_ids=ids,
            answer_attention_mask=mask,
            answer_targets=ids.masked_fill(mask == 0, -100),
            answer_weight=states.new_full((len(answers), ),
                                          self.answer_weight),
            # every answer reads its question: (B, L, C) -> (A, L, C)
            question_states=states.repeat_interleave(counts, dim=0),
            question_atts=text['attention_mask'].repeat_interleave(
                counts, dim=0),
            batch_size=len(data_samples))
        return self.vqa_head.loss(feats)

    @torch.no_grad()
    def rank_answers(self, states: torch.Tensor,
                     attention_mask: torch.Tensor) -> torch.Tensor:
        """Index into ``answer_list`` of the most likely answer.

        Args:
            states (Tensor): (B, L, C) question states.
            attention_mask (Tensor): (B, L) the questions' mask.

        Returns:
            Tensor: (B, ) answer indices.
        """
        decoder = self.vqa_head.decoder
        B = len(states)
        k = min(self.num_ans_candidates, len(self.answer_list))
        start = self.answer_ids[:1, :1].expand(B, 1)  # [DEC]
        first_logits = decoder(
            start,
            encoder_hidden_states=states,
            encoder_attention_mask=attention_mask,
            return_dict=True).logits[:, 0]  # (B, V)
        first_token = self.answer_ids[:, 1]  # (A, )
        topk = first_logits.log_softmax(dim=-1)[:, first_token].topk(
            k, dim=1).indices  # (B, k)
        ids = self.answer_ids[topk].flatten(0, 1)  # (B*k, L)
        mask = self.answer_mask[topk].flatten(0, 1)
        logits = decoder(
            ids,
            attention_mask=mask,
            encoder_hidden_states=states.repeat_interleave(k, dim=0),
            encoder_attention_mask=attention_mask.repeat_interleave(k, dim=0),
            return_dict=True).logits
        scores = answer_log_likelihood(logits, ids, mask).view(B, k)
        return topk.gather(1, scores.argmax(dim=1, keepdim=True))[:, 0]

    def generate_answers(self, states: torch.Tensor) -> List[str]:
        """Answers decoded from ``[DEC]`` with the head's beam search."""
        tokens = self.vqa_head.predict_generate(
            dict(
                multimodal_embeds=states,
                bos_token_id=self.tokenizer.bos_token_id,
                sep_token_id=self.tokenizer.sep_token_id,
                pad_token_id=self.tokenizer.pad_token_id))
        return [
            t.strip() for t in self.tokenizer.batch_decode(
                tokens, skip_special_tokens=True)
        ]

    def predict(self,
                video: torch.Tensor,
                text: Dict[str, torch.Tensor],
                data_samples: Optional[list] = None) -> list:
        """Set ``pred_answer`` of every data sample."""
        from mmaction.structures import ActionDataSample
        states = self.encode_question(video, text)
        if self.inference_method == 'rank':
            indices = self.rank_answers(states, text['attention_mask'])
            answers = [self.answer_list[i] for i in indices.tolist()]
        else:
            answers = self.generate_answers(states)
        if data_samples is None:
            data_samples = [ActionDataSample() for _ in answers]
        for sample, answer in zip(data_samples, answers):
            sample.pred_answer = answer
        return data_samples
