#!/usr/bin/env python3
"""Times PyTorch's attention kernels at the GPU benchmark's size.

The issue's attention target is FlashAttention-3 as shipped in PyTorch /
cuDNN; weft-gpu-bench cannot call those (no cuDNN frontend headers on the
build machines), so utils/gpu-bench.sh runs this script where PyTorch is
installed. It times, on bf16 [batch, heads, seq, head_dim] inputs:
  * SDPA with the cuDNN backend (cuDNN's fused flash attention, FA3-class on
    Hopper),
  * SDPA with PyTorch's flash backend (FlashAttention-2),
  * flash_attn_interface.flash_attn_func (FlashAttention-3) if installed,
and prints one line per backend, then

  RESULT sdpa best=<backend> best_tflops=<x>

with the fastest. Times are medians of CUDA-event-timed single calls after
warm-up, as in weft-gpu-bench.
"""
import argparse
import statistics
import sys


def time_call(torch, fn, warmup, iterations):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(iterations):
        start = torch.cuda.Event(enable_timing=True)
        stop = torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        stop.record()
        stop.synchronize()
        times.append(start.elapsed_time(stop))
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--heads", type=int, default=1)
    parser.add_argument("--seq", type=int, default=8192)
    parser.add_argument("--head-dim", type=int, default=128)
    parser.add_argument("--causal", action="store_true")
    parser.add_argument("--softmax-scale", type=float, default=None)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--iterations", type=int, default=50)
    args = parser.parse_args()

    import torch
    import torch.nn.functional as F
    from torch.nn.attention import SDPBackend, sdpa_kernel

    shape = (args.batch, args.heads, args.seq, args.head_dim)
    gen = torch.Generator(device="cuda").manual_seed(0)
    q, k, v = (torch.randn(shape, device="cuda", dtype=torch.bfloat16,
                           generator=gen) for _ in range(3))
    flops = 4.0 * args.batch * args.heads * args.seq ** 2 * args.head_dim
    if args.causal:
        flops /= 2
    print(f"sdpa batch {args.batch} heads {args.heads} seq {args.seq} "
          f"head_dim {args.head_dim}{' causal' if args.causal else ''} bf16 "
          f"on {torch.cuda.get_device_name()} (torch {torch.__version__})")

    candidates = {}
    for name, backend in (("sdpa-cudnn", SDPBackend.CUDNN_ATTENTION),
                          ("sdpa-flash", SDPBackend.FLASH_ATTENTION)):
        def run(backend=backend):
            with sdpa_kernel(backend):
                return F.scaled_dot_product_attention(
                    q, k, v, is_causal=args.causal, scale=args.softmax_scale)
        candidates[name] = run
    try:
        from flash_attn_interface import flash_attn_func  # FlashAttention-3
        qt, kt, vt = (x.transpose(1, 2).contiguous() for x in (q, k, v))
        candidates["flash-attn-3"] = lambda: flash_attn_func(
            qt, kt, vt, causal=args.causal, softmax_scale=args.softmax_scale)
    except ImportError:
        print("  flash-attn-3: flash_attn_interface not installed, skipped")

    best, best_tflops = None, 0.0
    for name, fn in candidates.items():
        try:
            ms = time_call(torch, fn, args.warmup, args.iterations)
        except RuntimeError as error:  # backend unavailable for this input
            print(f"  {name}: unavailable ({str(error).splitlines()[0]})")
            continue
        tflops = flops / (ms * 1e-3) / 1e12
        print(f"  {name:<13} {ms:10.4f} ms  {tflops:8.1f} TFLOP/s")
        if tflops > best_tflops:
            best, best_tflops = name, tflops
    if best is None:
        print("no attention backend ran", file=sys.stderr)
        return 1
    print(f"RESULT sdpa best={best} best_tflops={best_tflops:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
