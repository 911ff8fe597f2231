#!/usr/bin/env python3
"""Body batch sizes on CPU, the folded frozen EfficientNet-Lite0 alone, four alternating rounds (ms a photo).

    TRANSFER_COURSE_DATA=../shared/data python benchmarks/body_batch.py 2   # threads
"""
import sys, time, torch
from transfer_course.data import get_dls
from transfer_course.models import make_learner
from transfer_course.features import _pooled, _fold_bn, _freed_memory_kept
if len(sys.argv) > 1: torch.set_num_threads(int(sys.argv[1]))  # else torch's default
for size, n, bss in [(224, 200, (4, 8, 16)), (128, 400, (16, 32, 64)), (64, 1000, (64, 128, 256))]:
    dls = get_dls('cats-dogs-mini', size=size)
    learn = make_learner(dls, 'efficientnet_lite0', 'freeze')
    items = (dls.valid_ds.items + dls.train_ds.items)[:n]  # valid photos first
    xs = torch.cat([x.as_subclass(torch.Tensor).clone()
                    for x, _ in learn.dls.test_dl(items, with_labels=True, bs=64)])
    m = _pooled(learn).eval()
    with torch.no_grad(): f = _fold_bn(m)
    res = {b: [] for b in bss}
    with _freed_memory_kept(), torch.inference_mode():
        f(xs[:bss[0]])
        for r in range(4):
            for b in bss:
                t = time.perf_counter()
                for i in range(0, len(xs), b): f(xs[i:i+b])
                res[b].append((time.perf_counter()-t)/len(xs)*1000)
    print(f"{size} px, {n} photos, {torch.get_num_threads()} threads, ms/photo:",
          '; '.join(f"batch {b}: " + ' '.join(f'{v:.2f}' for v in res[b]) for b in bss),
          flush=True)
