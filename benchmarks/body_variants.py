#!/usr/bin/env python3
"""Two ways torch offers to run the frozen body faster on a CPU, against what `extract_features` runs.

    TRANSFER_COURSE_DATA=../shared/data python benchmarks/body_variants.py

Over 200 of cats-dogs-mini's validation photos at 224 px, decoded into tensors beforehand, in the body pass's batch
size: the body as `extract_features` runs it (BatchNorm folded, channels_last, eager, float32); the same traced and
passed through `torch.jit.optimize_for_inference` (frozen graph, oneDNN weights); and the same under
`torch.autocast('cpu', torch.bfloat16)`. Three alternating rounds, the fastest of each kept; printed with how far
each variant's features are from the eager float32 ones.
"""
import time
import transfer_course, torch
from transfer_course.data import get_dls
from transfer_course.models import make_learner
from transfer_course.features import _pooled, _fold_bn, _freed_memory_kept, _body_bs

def timed(m, xs, bf16=False):
    "Seconds of an inference-mode pass of `m` over `xs`, and its features (float32)"
    with _freed_memory_kept(), torch.inference_mode(), torch.autocast('cpu', torch.bfloat16, enabled=bf16):
        m(xs[0])  # warm-up
        t = time.perf_counter()
        out = torch.cat([m(x).float() for x in xs])
        return time.perf_counter() - t, out

def main(n=200, size=224):
    dls = get_dls('cats-dogs-mini', size=size)
    learn = make_learner(dls, 'efficientnet_lite0', 'freeze')
    bs = _body_bs(learn)
    cl = lambda x: x.contiguous(memory_format=torch.channels_last)
    xs = [cl(xb.as_subclass(torch.Tensor).clone())
          for xb, _ in learn.dls.test_dl(dls.valid_ds.items[:n], with_labels=True, bs=bs)]
    with torch.no_grad(): f = _fold_bn(_pooled(learn).eval()).to(memory_format=torch.channels_last)
    t = time.perf_counter()
    with torch.no_grad(): j = torch.jit.optimize_for_inference(torch.jit.trace(f, xs[0]))
    timed(j, xs[:2])  # its first calls optimise further
    build = time.perf_counter() - t
    variants = {'eager float32 (extract_features)': (f, False), 'jit optimize_for_inference': (j, False),
                'bfloat16 autocast': (f, True)}
    secs, outs = {k: [] for k in variants}, {}
    for _ in range(3):
        for k, (m, bf16) in variants.items():
            s, outs[k] = timed(m, xs, bf16); secs[k].append(s)
    ref = outs['eager float32 (extract_features)']
    print(f"{n} photos at {size} px, batch {bs}, {torch.get_num_threads()} threads "
          f"(jit: {build:.1f} s to trace and optimise)")
    for k in variants:
        d = outs[k] - ref
        print(f"  {k:34} {min(secs[k]):6.2f} s  ({', '.join(f'{s:.2f}' for s in secs[k])})  "
              f"features: max |diff| {d.abs().max():.1e}, relative {d.norm()/ref.norm():.1e}")

if __name__=='__main__': main()
