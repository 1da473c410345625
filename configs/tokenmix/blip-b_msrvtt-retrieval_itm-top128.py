# configs/tokenmix/blip-b_msrvtt-retrieval.py tested with ITM re-ranking, as
# BLIP tests retrieval: the 128 best ITC candidates of every query are
# re-scored by the ITM head (text encoder with cross-attention to the
# video's tokens). RetrievalTestLoop (the data set base's test_cfg) gathers
# every video's tokens: 1k MSR-VTT test videos x 8 x 197 x 768 in fp16 are
# 2.4 GB of host memory per process.
_base_ = ['./blip-b_msrvtt-retrieval.py']
model = dict(itm_topk=128)
