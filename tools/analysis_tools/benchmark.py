# Copyright (c) mmvidlm authors. All rights reserved.
"""Measure the inference (or training-step) speed and memory of a config,
and the timing code every speed tool of ``tools/analysis_tools/`` shares.

Examples::

    python tools/analysis_tools/benchmark.py configs/inti/vit-b_k400.py
    python tools/analysis_tools/benchmark.py configs/inti/vit-b_k400.py \\
        --device cuda --batch-size 32 --amp bf16 --compile --train

The last line is ``clips/s: <float>  latency_ms: <float>  peak_mem_mb:
<float>``: median latency of one iteration (``--batch-size`` clips),
throughput derived from it, and peak memory. Inputs are random normalised
clips, so data loading is not timed (``e2e_throughput.py`` times it).

One place knows how to build a model from a config for timing, how to feed
it, how to time it on CPU and on CUDA and how to measure its peak memory:
this tool (one model), ``compare_methods.py`` (several models, interleaved)
and ``clip_length_scaling.py`` (several models and clip lengths) import
:class:`ModelBenchmark` from here (tools run as scripts find their sibling
modules on ``sys.path``).

Peak memory:

* CUDA: ``torch.cuda.max_memory_allocated`` over the warm-up iterations
  (parameters, optimizer state and activations all count).
* CPU: the peak of live tensor storage bytes during the first warm-up
  iteration, measured by :class:`TensorMemoryTracker` (a dispatch mode
  that sees every storage an operator creates and every storage freed),
  plus the parameters, buffers, inputs and optimizer state alive before it.
  This is the CPU analogue of ``max_memory_allocated``: it ignores
  allocator caching and the Python heap, so it does not depend on what
  else the process did before (RSS high-water marks cannot be reset
  between interleaved models).
"""
import argparse
import copy
import gc
import os
import platform
import statistics
import time
import weakref
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
from mmengine.config import Config, ConfigDict, DictAction
from mmengine.optim import build_optim_wrapper
from torch.utils._python_dispatch import TorchDispatchMode

AMP_DTYPES = {'none': None, 'fp16': torch.float16, 'bf16': torch.bfloat16}
#: Keys under which a model config names its video encoder.
ENCODER_KEYS = ('backbone', 'visual_encoder', 'vision_backbone')
_FRAME_KEYS = ('num_frames', 't_size')
_SIZE_KEYS = ('img_size', 'input_resolution')


@dataclass
class BenchmarkResult:
    """Timings (ms per iteration) and peak memory of one model."""
    batch_size: int
    latencies_ms: List[float] = field(default_factory=list)
    peak_mem_mb: float = float('nan')

    @property
    def latency_ms(self) -> float:
        """Median latency of one iteration: robust to other jobs' bursts."""
        return statistics.median(self.latencies_ms)

    @property
    def clips_per_s(self) -> float:
        return self.batch_size * 1000. / self.latency_ms

    def summary_line(self) -> str:
        return (f'clips/s: {self.clips_per_s:.3f}  latency_ms: '
                f'{self.latency_ms:.2f}  peak_mem_mb: {self.peak_mem_mb:.1f}')


class TensorMemoryTracker(TorchDispatchMode):
    """Peak bytes of tensor storage created while the mode is active.

    Every operator's output storages are counted once when first seen and
    subtracted when Python frees them (weak references), so ``peak_bytes``
    is the high-water mark of live tensor memory allocated inside the
    context. Used on CPU where no allocator statistics exist.
    """

    def __init__(self):
        super().__init__()
        self.live_bytes = 0
        self.peak_bytes = 0
        self._seen = weakref.WeakKeyDictionary()

    def _release(self, nbytes: int) -> None:
        self.live_bytes -= nbytes

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        for t in torch.utils._pytree.tree_leaves(out):
            if not isinstance(t, torch.Tensor) or t.device.type == 'meta':
                continue
            storage = t.untyped_storage()
            if storage in self._seen:
                continue
            nbytes = storage.nbytes()
            self._seen[storage] = nbytes
            weakref.finalize(storage, self._release, nbytes)
            self.live_bytes += nbytes
            self.peak_bytes = max(self.peak_bytes, self.live_bytes)
        return out


def _storage_bytes(tensors) -> int:
    """Bytes of the distinct storages behind ``tensors``."""
    seen = {}
    for t in tensors:
        if isinstance(t, torch.Tensor):
            st = t.untyped_storage()
            seen[st.data_ptr()] = st.nbytes()
    return sum(seen.values())


def encoder_key(model_cfg: dict) -> str:
    """The key of ``model_cfg`` that holds the video encoder."""
    for key in ENCODER_KEYS:
        if key in model_cfg:
            return key
    raise KeyError(f'The model config ({model_cfg.get("type")}) names no '
                   f'video encoder under any of {ENCODER_KEYS}.')


def clip_shape(model_cfg: dict) -> Tuple[int, int]:
    """(frames, size) the config's video encoder is built for."""
    enc = model_cfg[encoder_key(model_cfg)]
    frames = next((enc[k] for k in _FRAME_KEYS if k in enc), 8)
    size = next((enc[k] for k in _SIZE_KEYS if k in enc), 224)
    return int(frames), int(size)


def set_clip_shape(model_cfg: dict,
                   frames: Optional[int] = None,
                   size: Optional[int] = None) -> dict:
    """A copy of ``model_cfg`` whose encoder is built for frames × size²."""
    model_cfg = copy.deepcopy(model_cfg)
    enc = model_cfg[encoder_key(model_cfg)]
    for keys, value in ((_FRAME_KEYS, frames), (_SIZE_KEYS, size)):
        if value is None:
            continue
        present = [k for k in keys if k in enc]
        for k in present or keys[:1]:
            enc[k] = value
    return model_cfg


def build_benchmark_model(model_cfg: dict, part: str = 'model') -> nn.Module:
    """Build a model (or only its video encoder) through the registry.

    Args:
        model_cfg (dict): A model config, e.g. ``Config.fromfile(f).model``.
        part (str): ``'model'``: the whole model; ``'encoder'``: the video
            encoder only (``backbone`` / ``visual_encoder``), the common
            denominator of recognizers and video-language models.

    Returns:
        nn.Module: The model, weights initialised (no checkpoint loaded).
    """
    from mmvidlm.registry import MODELS
    from mmvidlm.utils import register_all_modules
    register_all_modules()
    if part not in ('model', 'encoder'):
        raise ValueError(f"part must be 'model' or 'encoder', got {part!r}")
    model_cfg = copy.deepcopy(model_cfg)
    encoder = model_cfg[encoder_key(model_cfg)]
    # Timing needs no pre-trained weights (none can be downloaded here).
    encoder.pop('init_cfg', None)
    if encoder.get('type') == 'UniFormerV2':
        encoder.update(clip_pretrained=False, pretrained=None)
    model = MODELS.build(encoder if part == 'encoder' else model_cfg)
    model.init_weights()
    return model


def encoder_gflops(encoder: nn.Module, frames: int, size: int) -> float:
    """GFLOPs (multiply-adds) of one clip, counted on a meta copy as
    ``get_flops.py`` does."""
    from mmvidlm.utils.flops import count_macs
    meta = copy.deepcopy(encoder).eval().requires_grad_(False).to('meta')
    clip = torch.empty(1, 3, frames, size, size, device='meta')
    return count_macs(meta, clip) / 1e9


def quiet_logs(level: str = 'WARNING') -> None:
    """Hide the INFO messages of model building (weight initialisation,
    UniFormerV2's settings) that would bury a benchmark's output."""
    from mmengine.logging import MMLogger
    MMLogger.get_instance('mmengine').setLevel(level)
    MMLogger.get_instance('mmvidlm_benchmark', log_level=level)


def is_recognizer(model: nn.Module) -> bool:
    from mmaction.models.recognizers import BaseRecognizer
    return isinstance(model, BaseRecognizer)


def synchronize(device: torch.device) -> None:
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


class ModelBenchmark:
    """Times inference or a training step of one model.

    Inputs are random clips already normalised (data loading and the data
    preprocessor are not timed). A recognizer runs its ``predict`` path
    (inference) or ``loss`` + one optimizer step (``train``); a bare video
    encoder runs ``forward`` (inference only).

    Args:
        model (nn.Module): From :func:`build_benchmark_model`.
        batch_size (int): Clips per iteration.
        frames (int): Frames per clip.
        size (int): Frame height and width.
        device (str): ``'cpu'`` or ``'cuda'``.
        train (bool): Time one optimizer step instead of inference.
        amp (str): ``'none'``, ``'fp16'`` or ``'bf16'`` autocast.
        compile (bool): ``torch.compile`` the video encoder.
        optim_wrapper_cfg (dict, optional): The config's ``optim_wrapper``
            (its constructor decides which parameters are trained). Defaults
            to AdamW over all parameters.
        num_classes (int): Label range of the random labels. Defaults to 2.
        seed (int): Seed of the random inputs. Defaults to 0.
    """

    def __init__(self,
                 model: nn.Module,
                 batch_size: int,
                 frames: int,
                 size: int,
                 device: str = 'cpu',
                 train: bool = False,
                 amp: str = 'none',
                 compile: bool = False,
                 optim_wrapper_cfg: Optional[dict] = None,
                 num_classes: int = 2,
                 seed: int = 0):
        if amp not in AMP_DTYPES:
            raise ValueError(f'amp must be one of {list(AMP_DTYPES)}, '
                             f'got {amp!r}')
        self.device = torch.device(device)
        if self.device.type == 'cuda' and not torch.cuda.is_available():
            raise RuntimeError('--device cuda, but no CUDA device is visible.')
        self.batch_size = batch_size
        self.train = train
        self.recognizer = is_recognizer(model)
        if train and not self.recognizer:
            raise ValueError(
                'Training steps are timed for recognizers (they bring their '
                f'loss); {type(model).__name__} is timed for inference only.')
        self.model = model.to(self.device).train(train)
        self.amp_dtype = AMP_DTYPES[amp]
        if self.device.type == 'cuda':
            # Let sdpa pick the flash / memory-efficient kernels.
            torch.backends.cuda.matmul.allow_tf32 = True
            torch.backends.cudnn.allow_tf32 = True
        if compile:
            encoder = self.model.backbone if self.recognizer else self.model
            encoder.compile()

        gen = torch.Generator().manual_seed(seed)
        clips = torch.randn(batch_size, 3, frames, size, size, generator=gen)
        if self.recognizer:
            from mmaction.structures import ActionDataSample
            clips = clips.unsqueeze(1)  # (B, num_clips=1, C, T, H, W)
            labels = torch.randint(num_classes, (batch_size, ), generator=gen)
            self.data_samples = [
                ActionDataSample().set_gt_label(label.item()).to(self.device)
                for label in labels
            ]
        self.clips = clips.to(self.device)
        self.peak_mem_mb = float('nan')
        self.optim_wrapper = None
        if train:
            self.optim_wrapper = self._build_optim_wrapper(optim_wrapper_cfg)

    def _build_optim_wrapper(self, cfg: Optional[dict]):
        cfg = copy.deepcopy(cfg or dict(optimizer=dict(type='AdamW', lr=1e-4)))
        cfg = ConfigDict(cfg)
        if self.amp_dtype is not None and self.device.type == 'cuda':
            # MMEngine's mixed precision (autocast + loss scaling) is CUDA
            # only; on CPU ``_autocast`` wraps the forward instead.
            cfg.type = 'AmpOptimWrapper'
            cfg.dtype = {
                torch.float16: 'float16',
                torch.bfloat16: 'bfloat16'
            }[self.amp_dtype]
        return build_optim_wrapper(self.model, cfg)

    def _autocast(self):
        if self.amp_dtype is None:
            return nullcontext()
        return torch.autocast(self.device.type, dtype=self.amp_dtype)

    def step(self) -> None:
        """One iteration (no synchronisation)."""
        if self.train:
            # BaseModel.train_step, minus the data preprocessor.
            with self.optim_wrapper.optim_context(self.model), \
                    self._autocast():
                losses = self.model(self.clips, self.data_samples, mode='loss')
            loss, _ = self.model.parse_losses(losses)
            self.optim_wrapper.update_params(loss)
            return
        with torch.inference_mode(), self._autocast():
            if self.recognizer:
                self.model(self.clips, self.data_samples, mode='predict')
            else:
                self.model(self.clips)

    def time(self, iters: int) -> List[float]:
        """Latency of ``iters`` iterations, in ms each."""
        out = []
        for _ in range(iters):
            synchronize(self.device)
            start = time.perf_counter()
            self.step()
            synchronize(self.device)
            out.append((time.perf_counter() - start) * 1000.)
        return out

    def warmup(self, iters: int) -> None:
        """Untimed iterations; the first one also measures peak memory.

        Sets ``peak_mem_mb`` (see the module docstring): on CUDA the
        allocator's peak over the warm-up, on CPU the peak live tensor
        memory of the first iteration (parameters, buffers, inputs and
        optimizer state included).
        """
        if iters < 1:
            raise ValueError('At least one warm-up iteration is needed (it '
                             'measures memory and builds kernels).')
        if self.device.type == 'cuda':
            torch.cuda.reset_peak_memory_stats(self.device)
            self.time(iters)
            self.peak_mem_mb = torch.cuda.max_memory_allocated(
                self.device) / 2**20
            return
        if self.optim_wrapper is not None:
            self.optim_wrapper.zero_grad(set_to_none=True)
        gc.collect()
        resident = list(self.model.parameters()) + list(
            self.model.buffers()) + [self.clips]
        if self.optim_wrapper is not None:
            for state in self.optim_wrapper.optimizer.state.values():
                resident += list(state.values())
        with TensorMemoryTracker() as tracker:
            self.step()
        self.peak_mem_mb = (_storage_bytes(resident) +
                            tracker.peak_bytes) / 2**20
        self.time(iters - 1)


def run_benchmark(bench: ModelBenchmark, iters: int,
                  warmup: int) -> BenchmarkResult:
    """Warm up (measuring peak memory), then time ``iters`` iterations."""
    bench.warmup(warmup)
    return BenchmarkResult(bench.batch_size, bench.time(iters),
                           bench.peak_mem_mb)


def run_interleaved(benches: Sequence[ModelBenchmark],
                    rounds: int,
                    iters_per_round: int,
                    warmup: int,
                    log: Callable[[str], None] = lambda s: None
                    ) -> List[BenchmarkResult]:
    """Time several models in alternating rounds.

    Load from other processes changes over minutes; giving every model a
    slice of each round spreads that drift evenly, so the ratios between
    models stay meaningful on a shared machine.
    """
    for bench in benches:
        bench.warmup(warmup)
    results = [
        BenchmarkResult(b.batch_size, peak_mem_mb=b.peak_mem_mb)
        for b in benches
    ]
    for r in range(rounds):
        for bench, result in zip(benches, results):
            result.latencies_ms += bench.time(iters_per_round)
        log(f'round {r + 1}/{rounds}: ' + ', '.join(f'{res.latency_ms:.0f} ms'
                                                    for res in results))
    return results


class MatmulBenchmark:
    """A dense ``n × n`` matmul, timed like a model so that it takes part
    in the interleaved rounds of :func:`run_interleaved`: the device's peak
    is then measured under the same load as the models it is compared
    with (measured apart, a quieter moment gave utilisations above 100 %).

    Args:
        device (str): ``'cpu'`` or ``'cuda'``.
        dtype (torch.dtype): Dtype of the operands.
        n (int, optional): Side of the matrices. Defaults to 8192 on CUDA,
            1024 on CPU.
    """
    batch_size = 1

    def __init__(self,
                 device: str = 'cpu',
                 dtype: torch.dtype = torch.float32,
                 n: Optional[int] = None):
        self.device = torch.device(device)
        self.n = n or (8192 if self.device.type == 'cuda' else 1024)
        self.a = torch.randn(self.n, self.n, device=self.device, dtype=dtype)
        self.b = torch.randn(self.n, self.n, device=self.device, dtype=dtype)
        self.peak_mem_mb = float('nan')

    def step(self) -> None:
        self.a @ self.b

    time = ModelBenchmark.time  # the same timer as the models'

    def warmup(self, iters: int) -> None:
        self.time(max(iters, 2))

    def tflops(self, result: BenchmarkResult) -> float:
        """Throughput (TFLOP/s, 2 FLOPs per multiply-add) of the median
        product of ``result``."""
        return 2 * self.n**3 / (result.latency_ms / 1e3) / 1e12


def flop_utilisation(gflops: float, clips_per_s: float,
                     peak_tflops: float) -> Optional[float]:
    """Share of the measured matmul peak a model achieves, or None when it
    exceeds 1: the reference matmul was then slower than the model's own
    products (a load change between their turns, or a matrix size below
    the device's best), and no figure is better than an impossible one.

    Args:
        gflops (float): Multiply-adds (G) of one clip.
        clips_per_s (float): The model's throughput.
        peak_tflops (float): From :meth:`MatmulBenchmark.tflops`.
    """
    utilisation = 2 * gflops * clips_per_s / 1e3 / peak_tflops
    return utilisation if utilisation <= 1 else None


def machine_info(device: str = 'cpu') -> dict:
    """The facts a benchmark table must state about where it ran."""
    cpu = platform.processor() or platform.machine()
    try:
        with open('/proc/cpuinfo') as f:
            cpu = next(
                line.split(':', 1)[1].strip() for line in f
                if line.startswith('model name'))
    except (OSError, StopIteration):
        pass
    info = dict(
        cpu=cpu,
        cores=os.cpu_count(),
        torch_threads=torch.get_num_threads(),
        torch=torch.__version__,
        load_avg=os.getloadavg(),
        device=str(device))
    if torch.device(device).type == 'cuda':
        info['gpu'] = torch.cuda.get_device_name()
    return info


def parse_args():
    parser = argparse.ArgumentParser(
        description='Benchmark the speed and memory of a model')
    parser.add_argument('config', help='config file path')
    parser.add_argument(
        '--batch-size', type=int, default=1, help='clips per iteration')
    parser.add_argument(
        '--iters', type=int, default=10, help='timed iterations')
    parser.add_argument(
        '--warmup', type=int, default=5, help='untimed iterations first')
    parser.add_argument(
        '--amp',
        choices=['none', 'fp16', 'bf16'],
        default='none',
        help='autocast dtype')
    parser.add_argument(
        '--compile', action='store_true', help='torch.compile the encoder')
    parser.add_argument(
        '--train',
        action='store_true',
        help='time forward + backward + optimizer step (the config\'s '
        'optim_wrapper) instead of inference')
    parser.add_argument(
        '--device', choices=['cpu', 'cuda'], default='cpu', help='device')
    parser.add_argument(
        '--shape',
        type=int,
        nargs=2,
        metavar=('T', 'S'),
        help='clip of T frames at S×S pixels (default: the config\'s)')
    parser.add_argument(
        '--part',
        choices=['model', 'encoder'],
        default='model',
        help='time the whole model or only its video encoder (backbone)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, key=value')
    return parser.parse_args()


def main():
    args = parse_args()
    quiet_logs()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    model_cfg = cfg.model
    if args.shape:
        model_cfg = set_clip_shape(model_cfg, *args.shape)
    frames, size = clip_shape(model_cfg)
    model = build_benchmark_model(model_cfg, part=args.part)
    bench = ModelBenchmark(
        model,
        batch_size=args.batch_size,
        frames=frames,
        size=size,
        device=args.device,
        train=args.train,
        amp=args.amp,
        compile=args.compile,
        optim_wrapper_cfg=cfg.get('optim_wrapper'),
        num_classes=cfg.model.get('cls_head', {}).get('num_classes', 2))
    info = machine_info(args.device)
    mode = 'train step' if args.train else 'inference'
    print(f'{args.config}: {mode}, {args.batch_size}x{frames}x{size}², '
          f'amp={args.amp}, compile={args.compile}, device='
          f'{info.get("gpu", info["cpu"])}, torch {torch.__version__}, '
          f'{info["torch_threads"]} threads, load avg '
          f'{info["load_avg"][0]:.2f}')
    result = run_benchmark(bench, args.iters, args.warmup)
    print(result.summary_line())


if __name__ == '__main__':
    main()
