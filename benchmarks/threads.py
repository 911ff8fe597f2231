#!/usr/bin/env python3
"""Does a frozen-body run give the same number with another thread count? One run per fresh process.

    TRANSFER_COURSE_DATA=../shared/data python benchmarks/threads.py
    TRANSFER_COURSE_DATA=../shared/data python benchmarks/threads.py --source cats-dogs-mini --size 224

For each head (fastai's, trained for the protocol's budget, and the linear probe):
`run(Config(source, strategy='freeze', size=..., seed=0, head=...))` in a new process with 1 thread and an empty
feature cache, then with 2 threads and an empty cache, then with 2 threads reading the 1-thread run's features
from its disk cache (the same features, only the head's training on 2 threads). Printed: accuracy, the right
answers out of the test photos, and how far its train features are from the 1-thread ones (largest absolute
difference; the largest value for scale).
"""
import argparse, json, os, subprocess, sys, tempfile

def one(source, size, head, threads, ref):
    "One run in this process, at `threads` threads; a JSON line"
    import torch
    torch.set_num_threads(threads)
    import transfer_course
    from transfer_course.experiment import Config, run_learner
    from transfer_course.features import extract_features
    r, learn = run_learner(Config(source, strategy='freeze', size=size, seed=0, head=head))
    f = extract_features(learn, learn.dls.train)[0]
    if not os.path.exists(ref): torch.save(f, ref)
    f1 = torch.load(ref)
    print(json.dumps(dict(head=head, threads=torch.get_num_threads(), acc=r.final_acc,
                          right=round(r.final_acc*r.n_valid), n_valid=r.n_valid, steps=r.steps,
                          max_diff=(f-f1).abs().max().item(), max_abs=f1.abs().max().item())))

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--source', default='intel-scenes-mini'); p.add_argument('--size', type=int, default=150)
    p.add_argument('--one', nargs=3, metavar=('HEAD', 'THREADS', 'REF'), help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.one: return one(a.source, a.size, a.one[0], int(a.one[1]), a.one[2])
    print(f"{a.source} at {a.size} px, EfficientNet-Lite0 frozen, seed 0, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as d:
        for head in ('fastai', 'probe'):  # their bodies pool differently: one reference each
            ref = os.path.join(d, f'{head}-features-1-thread.pt')
            for threads, cache, what in ((1, 1, 'body and head on 1 thread '),
                                         (2, 2, 'body and head on 2 threads'),
                                         (2, 1, "1 thread's features, head on 2")):
                env = dict(os.environ, TRANSFER_COURSE_FEATURES=os.path.join(d, f'{head}{cache}'))
                env.pop('OMP_NUM_THREADS', None); env.pop('IN_TEST', None)
                out = subprocess.run([sys.executable, __file__, '--source', a.source, '--size', str(a.size),
                                      '--one', head, str(threads), ref], env=env, check=True,
                                     capture_output=True, text=True).stdout
                r = json.loads(out.strip().splitlines()[-1])
                print(f"  {r['head']:6} head, {what}: {r['acc']:.2%} "
                      f"({r['right']}/{r['n_valid']}, {r['steps']} steps); train features differ from 1 "
                      f"thread's by at most {r['max_diff']:.1e} (largest {r['max_abs']:.1f})")

if __name__=='__main__': main()
