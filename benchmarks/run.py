#!/usr/bin/env python3
"""Benchmarks for transfer_course, printed side by side in one run (paste the output into BENCHMARKS.md).

    python benchmarks/run.py            # everything, ~5 minutes on 2 CPU cores
    python benchmarks/run.py --no-demo  # skip (b), the demo wall time

(a) an epoch of head training on cached features vs an epoch of fastai's frozen learner (same data, same head)
(b) `transfer-course demo` wall time, from a fresh results store
(c) overhead of `run` against a plain fastai `vision_learner` + `fit_one_cycle` on the same config
(d) train images per second for each strategy
"""
import argparse, os, platform, statistics, subprocess, sys, tempfile, time
import transfer_course  # first: it silences a deprecation warning fastai triggers at import
import torch, fastai, timm
from fastai.vision.all import vision_learner, accuracy, set_seed
from transfer_course.data import get_dls
from transfer_course.models import make_learner, set_norm, ARCHS, STRATEGIES
from transfer_course.weights import weights_path
from transfer_course.features import fit_head, _mem
from transfer_course.experiment import Config, run

def machine():
    cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), platform.processor()) if os.path.exists('/proc/cpuinfo') else platform.processor()
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'none'
    return (f"{os.cpu_count()} CPU cores ({cpu}), GPU: {gpu}, torch {torch.__version__} (threads {torch.get_num_threads()}), "
            f"fastai {fastai.__version__}, timm {timm.__version__}, transfer_course {transfer_course.__version__}, Python {platform.python_version()}")

def quiet_fit(learn, *a, **k):
    with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(*a, **k)

def bench_features(size, shots, head='fastai', epochs=3, head_epochs=20):
    "seconds per epoch: fastai frozen learner vs head on cached features"
    dls = get_dls('eurosat-mini', shots=shots, size=size)
    slow = make_learner(dls, 'efficientnet_lite0', 'freeze', head=head)
    quiet_fit(slow, 1)  # warm-up
    t = time.perf_counter(); quiet_fit(slow, epochs); slow_s = (time.perf_counter()-t)/epochs
    _mem.clear()
    fast = fit_head(make_learner(dls, 'efficientnet_lite0', 'freeze', head=head), head_epochs,
                    cache=False)  # time the body pass, not a read from disk
    return slow_s, fast.head_seconds/head_epochs, fast.extract_seconds, len(dls.train_ds), len(dls.valid_ds)

def bench_overhead(reps=5, epochs=4, size=64, shots=10):
    "wall seconds of run(cfg) vs the same thing written with plain fastai, alternating which goes first"
    cfg = Config(strategy='full', shots=shots, size=size, epochs=epochs, lr=1e-3)
    def ours(): run(cfg)
    def plain():
        set_seed(0, reproducible=True)
        dls = get_dls('eurosat-mini', shots=shots, size=size, seed=0)
        set_norm(dls, ARCHS['efficientnet_lite0'].stats)
        learn = vision_learner(dls, 'tf_efficientnet_lite0', normalize=False, metrics=accuracy,
                               pretrained_cfg_overlay=dict(file=str(weights_path('efficientnet_lite0'))))
        learn.unfreeze(); quiet_fit(learn, epochs, 1e-3)
    ts = {ours: [], plain: []}
    ours(); plain()  # warm-up
    for i in range(reps):
        for f in ((ours, plain) if i % 2 == 0 else (plain, ours)):
            t = time.perf_counter(); f(); ts[f].append(time.perf_counter()-t)
    return statistics.median(ts[ours]), statistics.median(ts[plain])

def part_a():
    print("(a) epoch cost, fastai frozen learner vs head on cached features (eurosat-mini, efficientnet_lite0)")
    print("| size | head | train / valid images | fastai frozen epoch (s) | cached-feature epoch (s) | ratio | one-off body pass (s) |\n|---|---|---|---|---|---|---|")
    for size, head in ((64, 'fastai'), (64, 'linear'), (128, 'fastai'), (128, 'linear')):
        s, f, x, nt, nv = bench_features(size, 20, head)
        print(f"| {size} px | {head} | {nt} / {nv} | {s:.3f} | {f:.4f} | {s/f:.0f}x | {x:.2f} |", flush=True)

def part_b():
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        subprocess.run(['transfer-course', 'demo', '--fresh', '--out', d], check=True, stdout=subprocess.DEVNULL)
        print(f"\n(b) transfer-course demo (15 runs, 3 seeds each: freeze at 1,5,20 shots; scratch and finetune at 5; "
              f"200 optimizer steps per run, 64 px; fresh store): "
              f"{time.perf_counter()-t:.0f} s wall, including start-up", flush=True)

def part_c():
    o, pl = bench_overhead()
    print(f"\n(c) run() vs plain fastai vision_learner + fit_one_cycle (strategy full, 10 shots, 64 px, 4 epochs, median of 5, "
          f"alternating order): {o:.2f} s vs {pl:.2f} s, overhead {100*(o/pl-1):+.1f} %", flush=True)

def part_d():
    print("\n(d) train images per second, efficientnet_lite0, 20 shots (200 train images), 64 px, the default budget "
          "(200 steps of 16), 8 validations of 400 images and train accuracy included")
    print("| strategy | fit | images/s | seconds | final acc |\n|---|---|---|---|---|")
    for st in STRATEGIES:
        _mem.clear()
        r = run(Config(strategy=st, shots=20, size=64))
        print(f"| {st} | {r.fit} | {r.imgs_per_s:.0f} | {r.seconds:.1f} | {r.final_acc:.3f} |", flush=True)

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--no-demo', action='store_true', help='skip (b)')
    p.add_argument('--parts', default='abcd', help='which parts to run, e.g. "ac"')
    a = p.parse_args()
    print(f"machine: {machine()}\ncommand: python benchmarks/run.py {' '.join(sys.argv[1:])}\n")
    for k, f in dict(a=part_a, b=part_b, c=part_c, d=part_d).items():
        if k in a.parts and not (k=='b' and a.no_demo): f()

if __name__ == '__main__': main()
