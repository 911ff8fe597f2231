#!/usr/bin/env python3
"""The cached-feature path at scale: full EuroSAT (27,000 images) and full CIFAR-10 (60,000), from $TRANSFER_COURSE_DATA.

    TRANSFER_COURSE_DATA=../shared/data python benchmarks/scale.py            # 1k / 10k / all train images of both
    TRANSFER_COURSE_DATA=../shared/data python benchmarks/scale.py --quick    # 1k only

Each measurement runs in its own process (so its peak memory is its own): one frozen-body run
(`run(Config(strategy='freeze', ...))`, the default budget and head) with an empty feature cache, then the same
config again in a new process, which reads the features back from disk. Printed: images encoded, seconds of the
body pass (train and valid features) and of head training, the run's accuracy, and the process's peak resident memory.
"""
import argparse, json, os, resource, subprocess, sys, tempfile, time

def one(source, size, shots):
    "One run in this process; a JSON line of what it cost"
    t0 = time.perf_counter()
    import transfer_course, torch
    from transfer_course.experiment import Config, run_learner
    from transfer_course.data import get_dls
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t1 = time.perf_counter()
    cfg = Config(source, strategy='freeze', shots=shots, size=size)
    dls = get_dls(source, shots=shots, size=size, bs=cfg.bs, seed=cfg.seed)
    t2 = time.perf_counter()
    r, learn = run_learner(cfg, dls=dls)
    print(json.dumps(dict(source=source, size=size, shots=shots, n_train=r.n_train, n_valid=r.n_valid,
                          import_s=t1-t0, data_s=t2-t1, body_s=learn.extract_seconds, head_s=learn.head_seconds,
                          steps=r.steps, acc=r.final_acc, rss_import_mb=rss0,
                          rss_peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                          threads=torch.get_num_threads())))

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--quick', action='store_true', help='1,000 train images only')
    p.add_argument('--one', nargs=3, metavar=('SOURCE', 'SIZE', 'SHOTS'), help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.one:
        s, size, shots = a.one
        return one(s, int(size), None if shots=='all' else int(shots))
    if not os.environ.get('TRANSFER_COURSE_DATA'):
        sys.exit('set TRANSFER_COURSE_DATA to the folder holding eurosat-rgb.tar and cifar10.tar.gz')
    import torch, platform
    print(f"machine: {os.cpu_count()} CPU cores, GPU: "
          f"{torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'none'}, torch {torch.__version__}, "
          f"Python {platform.python_version()}")
    print("command: python benchmarks/scale.py" + (' --quick' if a.quick else ''))
    print("\n| dataset | px | train / valid images | body pass (s) | images/s | head (s, steps) | accuracy "
          "| peak memory (MB) | 2nd run, features from disk: body (s) |\n|---|---|---|---|---|---|---|---|---|")
    levels = [100] if a.quick else [100, 1000, 'all']  # 10 classes each: 1k, 10k, all train images
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, TRANSFER_COURSE_FEATURES=d)
        for source, size in (('eurosat', 64), ('cifar10', 32)):
            for shots in levels:
                cmd = [sys.executable, __file__, '--one', source, str(size), str(shots)]
                cold, warm = [json.loads(subprocess.run(cmd, env=env, capture_output=True, text=True,
                                                        check=True).stdout.splitlines()[-1])
                              for _ in range(2)]
                n = cold['n_train'] + cold['n_valid']
                print(f"| {source} | {size} | {cold['n_train']:,} / {cold['n_valid']:,} | {cold['body_s']:.1f} "
                      f"| {n/cold['body_s']:,.0f} | {cold['head_s']:.1f} ({cold['steps']:,}) | {cold['acc']:.1%} "
                      f"| {cold['rss_peak_mb']:,.0f} (after imports {cold['rss_import_mb']:,.0f}) "
                      f"| {warm['body_s']:.2f} |", flush=True)

if __name__ == '__main__': main()
