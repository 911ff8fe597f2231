"""Re-run the runs stored with the course (`nbs/lessons/measured`) and compare final accuracies.

Every store's runs go through `reproduce` one at a time, cheapest first (by the seconds the stored run
took), so a time budget covers as many runs as it can and says how many it left.  Each result is
written to the CSV as soon as it is measured: a stopped run keeps what it measured.

    TRANSFER_COURSE_DATA=../shared/data python benchmarks/reproduce_all.py --strategy freeze
    python benchmarks/reproduce_all.py --strategy scratch,finetune,full,lpft --cheapest 1 --budget 2400

Prints one line per run and a summary per store. Exit status: 0 if every run re-ran within `--tol`
(a change of exactly `--tol` is accepted, as `reproduce` accepts it), 1 if one moved by more, 2 if
one could not run (its error is in the CSV's `error` column).
"""
import argparse, csv, os, sys, time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def stored_runs(folder, stores='**/*.jsonl'):
    "(store, record) for every run the stores under `folder` hold (other lines skipped)"
    from transfer_course.store import ResultStore
    for f in sorted(folder.glob(stores)):
        for r in ResultStore(f).records(): yield f, r

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--folder', default=ROOT/'nbs'/'lessons'/'measured', type=Path)
    p.add_argument('--stores', default='**/*.jsonl', help='which stores: a glob under --folder')
    p.add_argument('--strategy', default=None, help='only runs of these strategies (comma-separated)')
    p.add_argument('--cheapest', type=int, default=None,
                   help='only this many runs of each (store, strategy), the cheapest')
    p.add_argument('--budget', type=float, default=None, help='start no run after this many seconds')
    p.add_argument('--tol', type=float, default=0.05, help='largest accepted change of final accuracy')
    p.add_argument('--out', type=Path, default=Path('reproduce_all.csv'))
    a = p.parse_args(argv)
    a.folder, a.out = a.folder.resolve(), a.out.resolve()
    # a store's relative sources (a lesson's tuning split) are relative to where its lesson ran
    os.chdir(a.folder.parent)
    from transfer_course.experiment import reproduce
    runs = list(stored_runs(a.folder, a.stores))
    if a.strategy: runs = [o for o in runs if o[1]['config']['strategy'] in a.strategy.split(',')]
    runs.sort(key=lambda o: o[1].get('seconds') or 0)
    if a.cheapest is not None:
        n = Counter()
        def keep(s, r):
            n[s, r['config']['strategy']] += 1
            return n[s, r['config']['strategy']] <= a.cheapest
        runs = [(s, r) for s, r in runs if keep(s, r)]
    cols = ['store', 'source', 'arch', 'strategy', 'shots', 'frac', 'seed', 'stored', 'now', 'diff',
            'stored_s', 'rerun_s', 'error']
    t0, rows, left = time.time(), [], 0
    with open(a.out, 'w', newline='') as fh:
        w = csv.DictWriter(fh, cols); w.writeheader()
        for store, r in runs:
            if a.budget is not None and time.time() - t0 > a.budget: left += 1; continue
            t, c = time.time(), r['config']
            base = dict(store=str(store.relative_to(a.folder)), source=c['source'], arch=c['arch'],
                        strategy=c['strategy'], shots=c.get('shots'), frac=c.get('frac'),
                        seed=c['seed'], stored=r['final_acc'], stored_s=round(r.get('seconds') or 0))
            try:
                # the stored config exactly (judged below, not by reproduce); the row of this record
                df = reproduce(store, where=c, tol=1.0)
                row = base | dict(now=float(df['now'].iloc[0]), error='')
                row['diff'] = row['now'] - row['stored']
            except Exception as e: row = base | dict(now=None, diff=None, error=f"{type(e).__name__}: {e}")
            row['rerun_s'] = round(time.time() - t)  # the whole re-run: data, learner, training
            rows.append(row); w.writerow(row); fh.flush()
            how = (f"stored {row['stored']:.4f} now {row['now']:.4f} diff {row['diff']:+.4f}"
                   if not row['error'] else f"ERROR {row['error'][:200]}")
            print(f"{row['store']:34} {row['arch']:19} {row['strategy']:8} shots={row['shots']} "
                  f"seed={row['seed']} {how} ({row['rerun_s']} s)", flush=True)
    ok = [o for o in rows if not o['error']]
    print(f"\n{len(rows)} runs re-run in {time.time()-t0:.0f} s; {left} left by the budget")
    by = {}
    for o in ok: by.setdefault(o['store'], []).append(abs(o['diff']))
    for s, d in by.items():
        print(f"  {s:34} {len(d):3} runs, {sum(x==0 for x in d):3} the same, largest |diff| {max(d):.4f}")
    bad = [o for o in ok if abs(o['diff']) > a.tol + 1e-6]  # reproduce's float32 allowance
    errs = len(rows) - len(ok)
    print(f"{len(bad)} run(s) moved by more than tol={a.tol}; {errs} could not run")
    return 2 if errs else 1 if bad else 0

if __name__ == '__main__': sys.exit(main())
