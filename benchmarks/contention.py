#!/usr/bin/env python3
"""Why a second busy process slowed the demo ~10x on 2 cores, and what OMP_WAIT_POLICY=PASSIVE changes.

    python benchmarks/contention.py            # about 10 minutes on 2 cores

One from-scratch run of the demo's kind (eurosat-mini, 5 per class, 64 px, seed 0, 50 optimizer steps and the
course's validations) in a fresh process, timed: alone, then beside another job (a second process training the same
config without pause, with torch's default threads), each with torch's default 2 threads under OpenMP's default wait
policy (threads spin a while before they sleep), with OMP_WAIT_POLICY=PASSIVE (they sleep at once), and with 1
thread; and with GOMP_SPINCOUNT=10000 (spin 30x less than GNU OpenMP's default before sleeping: `spin10000`). The wait policy changes when idle threads give the core back, not what they compute: the accuracy must be the
same with either policy at the same thread count.
"""
import json, os, subprocess, sys, time

ONE = r"""
import os, sys, time, json
import torch
torch.set_num_threads(int(sys.argv[1]))
import transfer_course
from transfer_course.experiment import Config, run
t = time.time()
r = run(Config('eurosat-mini', strategy='scratch', shots=5, size=64, seed=0, steps=int(sys.argv[2])), show=False)
print(json.dumps(dict(seconds=round(time.time()-t, 1), acc=r.final_acc)))
"""
BUSY = r"""
import torch, transfer_course
from transfer_course.experiment import Config, run
while True: run(Config('eurosat-mini', strategy='scratch', shots=5, size=64, seed=1, steps=50), show=False)
"""

def one(threads, policy, steps=50):
    env = {k: v for k, v in os.environ.items()
           if k not in ('OMP_WAIT_POLICY', 'OMP_NUM_THREADS', 'GOMP_SPINCOUNT')}
    if policy and policy.startswith('spin'): env['GOMP_SPINCOUNT'] = policy[4:]
    elif policy: env['OMP_WAIT_POLICY'] = policy
    out = subprocess.run([sys.executable, '-c', ONE, str(threads), str(steps)], env=env, capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])

def main():
    print(f"{os.cpu_count()} cores; {sys.version.split()[0]}; one scratch run of 50 steps per line")
    cases = [(2, None), (2, 'PASSIVE'), (2, 'spin10000'), (1, None)]
    rows = []
    for beside in (False, True):
        busy = None
        if beside:
            env = {k: v for k, v in os.environ.items() if k not in ('OMP_WAIT_POLICY', 'OMP_NUM_THREADS')}
            busy = subprocess.Popen([sys.executable, '-c', BUSY], env=env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            time.sleep(20)  # let it start training
        try:
            for threads, policy in cases:
                r = one(threads, policy)
                rows.append((('beside another job' if beside else 'alone'), threads, policy or 'default', r))
                print(f"{rows[-1][0]:<19} {threads} thread(s), wait policy {policy or 'default':<8} "
                      f"{r['seconds']:6.1f} s   accuracy {r['acc']:.4f}", flush=True)
        finally:
            if busy: busy.kill(); busy.wait()
    t = {(w, n, p): r['seconds'] for w, n, p, r in rows}
    for n, p in cases:
        print(f"slowdown beside another job, {n} thread(s), {p or 'default'}: "
              f"{t[('beside another job', n, p or 'default')]/t[('alone', n, p or 'default')]:.1f}x")

if __name__ == '__main__': main()
