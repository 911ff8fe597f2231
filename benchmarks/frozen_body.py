#!/usr/bin/env python3
"""The frozen-body path against its physical limit, and a photo classifier from the command line, in one run.

    TRANSFER_COURSE_DATA=../shared/data python benchmarks/frozen_body.py [PARTS]   # PARTS: 1234 (default), or some of them

(1) seconds to encode cats-dogs-mini's 500 validation photos at 224 px with EfficientNet-Lite0:
    `extract_features` (decode, resize, normalise, forward; the frozen body in channels_last with its BatchNorm
    folded into the convs, at the batch size it picks) against a bare `torch.inference_mode` forward of the
    network as it is over the same images already decoded into tensors, in torch's default memory layout and in
    channels_last, at batch sizes 1 to 64; the limit is the fastest of those, and the ratio to it is what counts
    (all measured here, in this one run). Also printed: the bare forward under glibc's default malloc
    thresholds, and the bare forward of the folded body (the floor of what extract_features computes).
(2) `transfer-course train SOURCE --size 224` (the default frozen-body run: a linear probe, start-up included) in
    a fresh process: wall seconds and accuracy, beside the same run with fastai's head trained for 10 epochs (its
    final and best epoch), a logistic regression (sklearn, C chosen by 5-fold cross-validated accuracy on the train
    features only) on the same features, and fastai's own default recipe (`vision_learner` + `fine_tune(1)`, 224
    px) on the same data. Two sources: all of cats-dogs-mini (1,000 train / 500 valid photos), and a folder of a
    few hundred photos shaped like the one issue 12 timed (245 train / 153 valid, 2 classes), drawn from
    cats-dogs-mini with a fixed seed into a temporary folder: a user's folder, so no feature cache.
(3) the default run against the logistic regression on five such folders (seeds 0-4): one valid photo is 0.65
    points there, so a single folder cannot tell them apart; the paired mean difference and its interval can.
(4) the body in bfloat16 (`precision='bf16'`) against float32: the bare forward of each at its fastest batch
    size (a sweep), extract_features in each, three rounds in turn; `transfer-course train cats-dogs-mini --size
    224` with and without `--precision bf16`, two rounds in turn; and the linear probe's accuracy on float32 and
    bfloat16 features of nine sets (eurosat-mini at 64 and 224 px, intel-scenes-mini, cats-dogs-mini, five
    folders of a few hundred photos), paired.
"""
import json, os, subprocess, sys, tempfile, time
from pathlib import Path
import torch

def layout(m):
    "Memory format of `m`'s first convolution weight"
    w = next(p for p in m.parameters() if p.dim()==4)
    return (torch.channels_last if w.is_contiguous(memory_format=torch.channels_last)
            and not w.is_contiguous() else torch.contiguous_format)

def bare(m, xs, channels_last):
    "Seconds of a bare inference-mode forward over pre-decoded batches `xs`"
    fmt = torch.channels_last if channels_last else torch.contiguous_format
    # `m` shares its weights with the learner: put their layout back as it was (a frozen
    # body is channels_last), or extract_features would be timed in the other one
    was = layout(m)
    m = m.to(memory_format=fmt)
    xs = [x.contiguous(memory_format=fmt) for x in xs]  # decoded and laid out beforehand
    with torch.inference_mode():
        m(xs[0])  # warm-up
        t = time.perf_counter()
        for x in xs: m(x)
        s = time.perf_counter() - t
    m.to(memory_format=was)
    return s

BATCHES = (1, 2, 4, 8, 16, 32, 64)

def setup(n, size):
    "A frozen Lite0 learner on cats-dogs-mini, `n` valid photos, their loader, the pooled body, a decoder"
    from transfer_course.data import get_dls
    from transfer_course.models import make_learner
    from transfer_course.features import _pooled, _body_bs
    dls = get_dls('cats-dogs-mini', size=size)
    learn = make_learner(dls, 'efficientnet_lite0', 'freeze')
    items = dls.valid_ds.items[:n]
    def decoded(bs):
        "`items` decoded into plain tensors in batches of `bs`"
        return [xb.as_subclass(torch.Tensor).clone()
                for xb, _ in learn.dls.test_dl(items, with_labels=True, bs=bs)]
    return (learn, _body_bs(learn), learn.dls.test_dl(items, with_labels=True), _pooled(learn).eval(),
            decoded)

def part1(n=500, size=224):
    from transfer_course.features import extract_features, _mem, _fold_bn, _freed_memory_kept
    print(f"(1) encoding {n} photos at {size} px, EfficientNet-Lite0, "
          f"{torch.get_num_threads()} threads")
    learn, ours_bs, dl, m, decoded = setup(n, size)
    xs = decoded(ours_bs)
    # glibc's malloc as it comes, before anything here changes its thresholds
    system = min(bare(m, xs, True) for _ in range(2))
    rows = []
    with _freed_memory_kept():  # the allocator extract_features runs under, for every row
        for bs in BATCHES:  # decode once per batch size, then time the forward alone
            xb = decoded(bs)
            rows.append((bs, bare(m, xb, False), bare(m, xb, True)))
    best = min(rows, key=lambda r: r[2])
    with torch.no_grad(): f = _fold_bn(m)
    xbest = decoded(best[0])
    t = time.perf_counter()
    decoded(ours_bs)
    decode = time.perf_counter() - t
    # the comparison itself: three rounds, one of each in turn (the machine is shared and
    # its speed drifts), the fastest of each kept
    assert layout(m) is torch.channels_last, \
        "the frozen body should still be channels_last, as apply_strategy left it"
    runs = dict(limit=[], ours_bs=[], folded=[], ours=[])
    for _ in range(3):
        with _freed_memory_kept():
            runs['limit'].append(bare(m, xbest, True))
            runs['ours_bs'].append(bare(m, xs, True))
            runs['folded'].append(bare(f, xbest, True))
        _mem.clear(); t = time.perf_counter()
        extract_features(learn, dl, cache=False)
        runs['ours'].append(time.perf_counter() - t)
    lim, fold, ours = min(runs['limit']), min(runs['folded']), min(runs['ours'])
    show = lambda k: ', '.join(f'{v:.2f}' for v in runs[k])
    print("batch sweep, one pass each (malloc keeping freed blocks, as extract_features runs it):")
    print("| batch | bare forward (s) | bare forward, channels_last (s) |\n|---|---|---|")
    for bs, b, bcl in rows: print(f"| {bs} | {b:.2f} | {bcl:.2f} |")
    print("\nthree rounds, fastest of each kept (seconds of each round):")
    print(f"the limit: bare channels_last forward at batch {best[0]} (fastest in the sweep): "
          f"{lim:.2f} s ({show('limit')})")
    print(f"  at extract_features' batch {ours_bs}: {min(runs['ours_bs']):.2f} s ({show('ours_bs')}); "
          f"under glibc's default malloc thresholds, before anything here changed them: {system:.2f} s")
    print(f"the same forward with BatchNorm folded into the convs (what extract_features runs), "
          f"batch {best[0]}: {fold:.2f} s ({show('folded')})")
    print(f"extract_features (decode + transforms + folded forward, batch {ours_bs}): {ours:.2f} s "
          f"({show('ours')}); decode + transforms alone: {decode:.2f} s")
    print(f"ratio to the limit: {ours/lim:.2f}; to the folded forward: {ours/fold:.2f}", flush=True)

def _cli(args, d):
    "`transfer-course train ARGS` in a fresh process with an empty feature cache: (wall s, result)"
    env = dict(os.environ, TRANSFER_COURSE_FEATURES=tempfile.mkdtemp(dir=d))
    t = time.perf_counter()
    p = subprocess.run(['transfer-course', 'train', *args, '--out', d, '--quiet', '--force'],
                       capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    if p.returncode: sys.exit(p.stderr)
    name = args[args.index('--exp-name')+1]
    return wall, json.loads((Path(d)/name/'result.json').read_text())

def few_hundred(d, n_train=(123, 122), n_valid=(77, 76), seed=0)->Path:
    "A folder `d`/photos of cats-dogs-mini photos: `n_train` and `n_valid` per class, drawn with `seed`"
    import random, shutil
    from transfer_course.data import dataset_path, find_layout
    lay, rng, out = find_layout(dataset_path('cats-dogs-mini')), random.Random(seed), Path(d)/'photos'
    for split, src, ns in (('train', lay.train, n_train), ('valid', lay.valid, n_valid)):
        for c, k in zip(('cats', 'dogs'), ns):
            (out/split/c).mkdir(parents=True)
            for f in rng.sample(sorted((src/c).glob('*.jpg')), k): shutil.copy(f, out/split/c/f.name)
    return out

def logistic(learn)->tuple:
    "Valid accuracy and fit seconds of sklearn's logistic regression (C by 5-fold CV accuracy on train)"
    from sklearn.linear_model import LogisticRegressionCV
    from transfer_course.features import extract_features
    (xt, yt), (xv, yv) = extract_features(learn, learn.dls.train), extract_features(learn, learn.dls.valid)
    t = time.perf_counter()
    lr = LogisticRegressionCV(Cs=10, cv=5, max_iter=2000, scoring='accuracy').fit(xt.numpy(), yt.numpy())
    return float((lr.predict(xv.numpy()) == yv.numpy()).mean()), time.perf_counter() - t

def part2(source, what):
    from transfer_course.data import get_dls
    from transfer_course.models import make_learner
    name = 'cats-dogs-mini' if source=='cats-dogs-mini' else 'FOLDER'
    print(f"\n(2) a photo classifier: {what}, 224 px")
    base = [str(source), '--size', '224']
    with tempfile.TemporaryDirectory() as d:
        wall, r = _cli(base + ['--exp-name', 'probe'], d)
        wall_f, rf = _cli(base + ['--head', 'fastai', '--epochs', '10', '--exp-name', 'fastai'], d)
    best_f = max(h['accuracy'] for h in rf['history'])
    dls = get_dls(source, size=224, bs=r['bs'])
    learn = make_learner(dls, 'efficientnet_lite0', 'freeze', head='linear')
    lr_acc, lr_s = logistic(learn)
    from fastai.vision.all import vision_learner, accuracy
    from transfer_course.models import set_norm, get_arch
    from transfer_course.weights import weights_path
    set_norm(dls, get_arch('efficientnet_lite0').stats)
    t = time.perf_counter()
    fl = vision_learner(dls, 'tf_efficientnet_lite0', metrics=accuracy, normalize=False,
                        pretrained_cfg_overlay=dict(file=str(weights_path('efficientnet_lite0'))))
    with fl.no_bar(), fl.no_logging(): fl.fine_tune(1)
    fa_s, fa_acc = time.perf_counter() - t, fl.recorder.values[-1][2]
    print(f"{r['n_train']:,} train / {r['n_valid']:,} valid photos (one valid photo: "
          f"{1/r['n_valid']:.1%})")
    print("| what | wall s (start-up included) | of it, in `run` | valid accuracy |\n|---|---|---|---|")
    print(f"| `transfer-course train {name} --size 224` (default: freeze, linear probe) "
          f"| {wall:.1f} | {r['seconds']:.1f} | {r['final_acc']:.1%} |")
    print(f"| ... `--head fastai --epochs 10` (fastai's head in steps): final | {wall_f:.1f} "
          f"| {rf['seconds']:.1f} | {rf['final_acc']:.1%} |")
    print(f"| ... its best epoch (of {len(rf['history'])} validations; chosen on valid, so optimistic) "
          f"| | | {best_f:.1%} |")
    print(f"| sklearn logistic regression, C by 5-fold CV accuracy on train, same features "
          f"| | {lr_s:.1f} (fit only) | {lr_acc:.1%} |")
    print(f"| fastai default: `vision_learner` + `fine_tune(1)`, training only | | {fa_s:.1f} "
          f"| {fa_acc:.1%} |")
    print(f"default run minus best of (logistic regression, best epoch): "
          f"{100*(r['final_acc'] - max(best_f, lr_acc)):+.1f} points", flush=True)

def part3(draws=5):
    "The default run against the logistic regression on `draws` folders of a few hundred photos, paired"
    from transfer_course.data import get_dls
    from transfer_course.models import make_learner
    from transfer_course.stats import t_interval
    print(f"\n(3) the default run and a logistic regression on {draws} folders of a few hundred photos "
          "(245 train / 153 valid each, drawn from cats-dogs-mini with seeds 0..)")
    print("| draw | wall s (start-up included) | default run | logistic regression | difference |\n|---|---|---|---|---|")
    diffs, walls = [], []
    for seed in range(draws):
        with tempfile.TemporaryDirectory() as d:
            src = few_hundred(d, seed=seed)
            wall, r = _cli([str(src), '--size', '224', '--exp-name', 'probe'], d)
            learn = make_learner(get_dls(src, size=224, bs=r['bs']), 'efficientnet_lite0', 'freeze',
                                 head='linear')
            lr_acc, _ = logistic(learn)
        diffs.append(r['final_acc'] - lr_acc); walls.append(wall)
        print(f"| {seed} | {wall:.1f} | {r['final_acc']:.1%} | {lr_acc:.1%} | "
              f"{100*diffs[-1]:+.1f} points |", flush=True)
    m, (lo, hi) = sum(diffs)/len(diffs), t_interval(diffs, lo=-1, hi=1)
    print(f"default run minus logistic regression: {100*m:+.2f} points, 95% interval "
          f"[{100*lo:+.2f}, {100*hi:+.2f}]; wall {min(walls):.1f}-{max(walls):.1f} s", flush=True)

def part4(n=500, size=224):
    "bfloat16 against float32: the body pass and its ratio to the limit, the command line, accuracy"
    from transfer_course.data import get_dls
    from transfer_course.models import make_learner
    from transfer_course.features import (extract_features, fit_probe, fast_bf16, _mem,
                                          _freed_memory_kept, _Autocast, PRECISIONS)
    from transfer_course.stats import t_interval
    print(f"\n(4) the body in bfloat16 against float32 (fast_bf16(): {fast_bf16()}); "
          f"encoding {n} photos at {size} px, EfficientNet-Lite0")
    learn, ours_bs, dl, m, decoded = setup(n, size)
    a16 = torch.nn.Sequential(_Autocast(m[0]), *m[1:])  # the bare network under bfloat16 autocast
    sweep = {}
    with _freed_memory_kept():
        for bs in BATCHES[2:6]:
            xb = decoded(bs); sweep[bs] = (bare(m, xb, True), bare(a16, xb, True))
    b32, b16 = (min(sweep, key=lambda b: sweep[b][i]) for i in (0, 1))
    x32, x16 = decoded(b32), decoded(b16)
    runs = {k: [] for k in ('bare fp32', 'bare bf16', 'extract fp32', 'extract bf16')}
    for _ in range(3):  # one of each in turn, fastest of each kept
        with _freed_memory_kept():
            runs['bare fp32'].append(bare(m, x32, True)); runs['bare bf16'].append(bare(a16, x16, True))
        for p in PRECISIONS:
            _mem.clear(); t = time.perf_counter()
            extract_features(learn, dl, cache=False, precision=p)
            runs[f'extract {p}'].append(time.perf_counter() - t)
    best = {k: min(v) for k, v in runs.items()}
    print("batch sweep, bare channels_last forward, one pass each:")
    print("| batch | float32 (s) | bfloat16 (s) |\n|---|---|---|")
    for bs, (a, b) in sweep.items(): print(f"| {bs} | {a:.2f} | {b:.2f} |")
    print(f"\nthree rounds, fastest kept (seconds of each round); bare at batch {b32} (fp32) and {b16} (bf16), "
          f"extract_features at batch {ours_bs}:")
    print("| what | seconds | rounds |\n|---|---|---|")
    for k, v in runs.items(): print(f"| {k} | {best[k]:.2f} | {', '.join(f'{o:.2f}' for o in v)} |")
    print(f"bfloat16 speed-up: bare {best['bare fp32']/best['bare bf16']:.2f}x, "
          f"extract_features {best['extract fp32']/best['extract bf16']:.2f}x; ratio of extract_features bf16 "
          f"to the bf16 limit: {best['extract bf16']/best['bare bf16']:.2f}, to the fp32 limit: "
          f"{best['extract bf16']/best['bare fp32']:.2f}", flush=True)
    print("\nthe command line on all of cats-dogs-mini at 224 px (fresh process, empty feature cache), in turn:")
    print("| round | default (fp32) wall s | accuracy | `--precision bf16` wall s | accuracy |\n|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as d:
        for i in range(2):
            w32, r32 = _cli(['cats-dogs-mini', '--size', '224', '--exp-name', 'fp32'], d)
            w16, r16 = _cli(['cats-dogs-mini', '--size', '224', '--precision', 'bf16', '--exp-name', 'bf16'], d)
            print(f"| {i} | {w32:.1f} | {r32['final_acc']:.1%} | {w16:.1f} | {r16['final_acc']:.1%} |", flush=True)
    print("\nthe linear probe (fit_probe) on float32 and bfloat16 features of the same images:")
    print("| data | train / valid | float32 | bfloat16 | difference |\n|---|---|---|---|---|")
    diffs = []
    with tempfile.TemporaryDirectory() as d:
        sets = [('eurosat-mini', 64), ('eurosat-mini', 224), ('intel-scenes-mini', 224), ('cats-dogs-mini', 224)]
        sets += [(few_hundred(Path(d)/str(s), seed=s), 224) for s in range(5)]
        for src, sz in sets:
            dls = get_dls(src, size=sz)
            acc = {p: fit_probe(make_learner(dls, 'efficientnet_lite0', 'freeze', head='probe'), cache=False,
                                precision=p).head_history[-1]['accuracy'] for p in PRECISIONS}
            diffs.append(acc['bf16'] - acc['fp32'])
            name = src if isinstance(src, str) else f"folder {Path(src).parent.name} of cats-dogs-mini"
            print(f"| {name}, {sz} px | {len(dls.train_ds)} / {len(dls.valid_ds)} | {acc['fp32']:.2%} | "
                  f"{acc['bf16']:.2%} | {100*diffs[-1]:+.2f} points |", flush=True)
    mean, (lo, hi) = sum(diffs)/len(diffs), t_interval(diffs, lo=-1, hi=1)
    print(f"bfloat16 minus float32 over these {len(diffs)} sets: {100*mean:+.2f} points, "
          f"95% interval [{100*lo:+.2f}, {100*hi:+.2f}]", flush=True)

if __name__ == '__main__':
    print(f"machine: {os.cpu_count()} CPU cores, torch {torch.__version__}, threads {torch.get_num_threads()}")
    print("command: python benchmarks/frozen_body.py\n")
    parts = sys.argv[1] if len(sys.argv) > 1 else '1234'  # e.g. `3`: the folder draws only
    if '1' in parts: part1()
    if '2' in parts:
        part2('cats-dogs-mini', 'all of cats-dogs-mini')
        with tempfile.TemporaryDirectory() as d:
            part2(few_hundred(d), 'a folder of a few hundred photos (from cats-dogs-mini)')
    if '3' in parts: part3()
    if '4' in parts: part4()
