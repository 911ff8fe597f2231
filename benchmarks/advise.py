#!/usr/bin/env python3
"""How long `transfer-course advise` takes on 2 CPU cores, and where the time goes.

    TRANSFER_COURSE_DATA=../shared/data python benchmarks/advise.py     # about 15 minutes on 2 cores

Three folders of a few hundred images, each run as a user would (a fresh process, an empty output folder, so the
body features are computed), with the default budget (5 minutes): photos of cats and dogs (cats-dogs-mini, 150 train
and 50 validation photos a class, 224 px), Intel scenes (intel-scenes-mini, 50 and 25 a class of 6 classes, 150 px),
and eurosat-mini's 500 tiles (64 px). Then the eurosat-mini folder again with `--budget 10m`, so the fine-tuning check
runs, and once more with the same folder: every point is read back, nothing is measured again.
Prints, per run: images, size, wall time of the whole command, of the body pass, of the curve, of the fine-tuning
check (or why it was skipped, with its estimate), and the predicted gain at 2x.
"""
import json, os, shutil, subprocess, sys, tempfile, time
from pathlib import Path

def folder(src:Path, dest:Path, n_train:int, n_valid:int)->Path:
    "A train/val folder of the first `n_train` + next `n_valid` images of each class of `src`"
    from fastai.vision.all import get_image_files
    for c in sorted(o for o in src.iterdir() if o.is_dir()):
        fs = sorted(get_image_files(c))
        for split, part in (('train', fs[:n_train]), ('val', fs[n_train:n_train+n_valid])):
            (dest/split/c.name).mkdir(parents=True, exist_ok=True)
            for f in part: shutil.copy(f, dest/split/c.name/f.name)
    return dest

def advise(src, out:Path, *extra)->dict:
    t = time.perf_counter()
    p = subprocess.run(['transfer-course', 'advise', str(src), '--out', str(out), *extra],
                       capture_output=True, text=True)
    if p.returncode: raise RuntimeError(p.stderr)
    wall = time.perf_counter() - t
    a = json.loads((out/'advice.json').read_text())
    ft, measured = a['finetune'], p.stdout.count(' per class, seed ')
    fits = sum(r['seconds'] for r in a['curve']) if measured else 0.
    ran = 'verdict' in ft and f"seed {ft['seeds'][0]}:" in p.stdout
    return dict(images=f"{a['n_train']} / {a['n_valid']}", px=a['settings']['size'],
                wall_s=round(wall), points=f"{measured} of {len(a['curve'])}",
                fits_s=round(fits),
                finetune=(f"ran: {ft['seconds']:.0f} s (estimated {ft['estimate_s']:.0f} s), "
                          f"{100*ft['diff']:+.1f} [{100*ft['low']:+.1f}, {100*ft['high']:+.1f}]"
                          if ran else 'read back' if 'verdict' in ft
                          else f"skipped: {ft['skipped']}"),
                gain_2x=f"{100*a['table']['predicted at 2x']['gain']:+.1f}")

def main():
    from transfer_course.data import dataset_path, find_layout
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        cd = find_layout(dataset_path('cats-dogs-mini'))
        intel = find_layout(dataset_path('intel-scenes-mini'))
        runs = [('cats-dogs-mini 150+50/class', folder(cd.train, d/'cd', 150, 50), d/'a', ()),
                ('intel-scenes-mini 50+25/class', folder(intel.train, d/'in', 50, 25), d/'b',
                 ()),
                ('eurosat-mini', 'eurosat-mini', d/'c', ()),
                ('eurosat-mini --budget 10m', 'eurosat-mini', d/'d', ('--budget', '10m')),
                ('the same again', 'eurosat-mini', d/'d', ('--budget', '10m'))]
        print(f"{'folder':30} {'train / valid':>13} {'px':>4} {'wall s':>6} "
              f"{'points measured':>15} {'their fits s':>12} {'gain 2x':>7}  fine-tuning check")
        for name, src, out, extra in runs:
            r = advise(src, out, *extra)
            print(f"{name:30} {r['images']:>13} {r['px']:>4} {r['wall_s']:>6} "
                  f"{r['points']:>15} {r['fits_s']:>12} {r['gain_2x']:>7}  {r['finetune']}",
                  flush=True)

if __name__ == '__main__': main()
