# configs/tokenmix/blip-b_msrvtt-retrieval.py tested by the contrastive
# (ITC) similarity alone, without the default ITM re-ranking of the 128
# best candidates (k_test): cheaper (no video tokens kept; with re-ranking,
# 1k MSR-VTT test videos x 8 x 197 x 768 in fp16 are 2.4 GB of host memory
# per process), as BLIP's ITC-only evaluation. Training is unchanged
# (ITC + ITM). Any retrieval config: --cfg-options model.itm_topk=0
_base_ = ['./blip-b_msrvtt-retrieval.py']
model = dict(itm_topk=0)
