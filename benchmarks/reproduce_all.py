"""Re-run the runs stored with the course (`nbs/lessons/measured`) and compare final accuracies.

Every store's runs go through `reproduce` one at a time, cheapest first (by the seconds the stored run
took), so a time budget covers as many runs as it can and says how many it left.  Each result is
written to the CSV as soon as it is measured: a stopped run keeps what it measured.

    TRANSFER_COURSE_DATA=../shared/data python benchmarks/reproduce_all.py --strategy freeze
    python benchmarks/reproduce_all.py --budget 3600 --out /tmp/reproduce.csv
    python benchmarks/reproduce_all.py --strategy scratch,finetune,full,lpft --cheapest 1

Prints one line per run and a summary per store; exits 1 if any run moved by more than `--tol`.
"""
import argparse, csv, json, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def stored_runs(folder):
    "(store, record) for every run record in the `.jsonl` stores under `folder`"
    for f in sorted(folder.rglob('*.jsonl')):
        for line in f.read_text().splitlines():
            if line.strip() and 'config' in (r := json.loads(line)): yield f, r

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--folder', default=ROOT/'nbs'/'lessons'/'measured', type=Path)
    p.add_argument('--strategy', default=None, help='only runs of these strategies (comma-separated)')
    p.add_argument('--cheapest', type=int, default=None,
                   help="only this many runs of each store's strategies, the cheapest")
    p.add_argument('--budget', type=float, default=None, help='stop starting runs after this many seconds')
    p.add_argument('--tol', type=float, default=0.0, help='largest accepted change of final accuracy')
    p.add_argument('--out', type=Path, default=Path('reproduce_all.csv'))
    a = p.parse_args(argv)
    from transfer_course.experiment import reproduce
    runs = list(stored_runs(a.folder))
    if a.strategy: runs = [o for o in runs if o[1]['config']['strategy'] in a.strategy.split(',')]
    runs.sort(key=lambda o: o[1].get('seconds') or 0)
    if a.cheapest:
        seen = {}
        keep = lambda s, r: seen.setdefault((s, r['config']['strategy']), []).append(1) or \
            len(seen[(s, r['config']['strategy'])]) <= a.cheapest
        runs = [(s, r) for s, r in runs if keep(s, r)]
    t0, rows, left = time.time(), [], 0
    with open(a.out, 'w', newline='') as fh:
        w = None
        for store, r in runs:
            if a.budget and time.time() - t0 > a.budget: left += 1; continue
            t = time.time()
            df = reproduce(store, where=r['config'], tol=1.0)  # the exact config; judged below
            for row in df.to_dict('records'):
                row = dict(store=str(store.relative_to(a.folder)), **row,
                           stored_s=round(r.get('seconds') or 0), now_s=round(time.time() - t))
                rows.append(row)
                if w is None: w = csv.DictWriter(fh, list(row)); w.writeheader()
                w.writerow(row); fh.flush()
                print(f"{row['store']:34} {row['arch']:19} {row['strategy']:8} shots={row['shots']} "
                      f"seed={row['seed']} stored {row['stored']:.4f} now {row['now']:.4f} "
                      f"diff {row['diff']:+.4f} ({row['now_s']} s)", flush=True)
    by = {}
    for o in rows: by.setdefault(o['store'], []).append(abs(o['diff']))
    print(f"\n{len(rows)} runs re-run in {time.time()-t0:.0f} s; {left} left by the budget")
    for s, d in by.items(): print(f"  {s:34} {len(d):3} runs, largest |diff| {max(d):.4f}")
    bad = [o for o in rows if abs(o['diff']) > a.tol]
    print(f"{len(bad)} run(s) moved by more than tol={a.tol}")
    return 1 if bad else 0

if __name__ == '__main__': sys.exit(main())
