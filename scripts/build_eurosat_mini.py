#!/usr/bin/env python3
"""Build the embedded `eurosat-mini` dataset from the full EuroSAT RGB tarball.

Deterministic: the same tarball always gives the same files. For each of the 10 classes it takes
`--train` images from EuroSAT's own train.csv split and `--valid` from its validation.csv split,
chosen by a seeded shuffle of the sorted file names, and copies the JPEG bytes unchanged into
`transfer_course/eurosat_mini/{train,valid}/<Class>/`, beside the MIT LICENSE and a README with the
citation and provenance.

    python scripts/build_eurosat_mini.py ../shared/data/eurosat-rgb.tar
"""
import argparse, csv, io, random, shutil, tarfile
from collections import defaultdict
from pathlib import Path

ROOT = 'eurosat-rgb'
README = """# eurosat-mini

A small, fixed subset of EuroSAT RGB (Helber et al.) shipped inside `transfer_course` so that the course,
its tests and `transfer-course demo` run with no network. 10 land-use classes, 64x64 RGB JPEG, bytes
unchanged from the source.

- train: {n_train} images per class, drawn from EuroSAT's `train.csv` split
- valid: {n_valid} images per class, drawn from EuroSAT's `validation.csv` split
- selection: sorted file names, shuffled with `random.Random({seed})`, first N per class
- built by `scripts/build_eurosat_mini.py` in the transfer_course repository

License: MIT (see LICENSE in this folder), copyright (c) 2023 Patrick Helber.

Cite:
- Helber, Bischke, Dengel, Borth. "EuroSAT: A Novel Dataset and Deep Learning Benchmark for Land Use and
  Land Cover Classification". IEEE Journal of Selected Topics in Applied Earth Observations and Remote
  Sensing, 2019.
- Helber, Bischke, Dengel, Borth. "Introducing EuroSAT: A Novel Dataset and Deep Learning Benchmark for
  Land Use and Land Cover Classification". IGARSS 2018.

Source provenance (of the full set this was cut from):

{provenance}
"""

def read_split(tf, name):
    f = io.TextIOWrapper(tf.extractfile(f'{ROOT}/{name}'), encoding='utf-8')
    by_cls = defaultdict(list)
    for row in csv.DictReader(f): by_cls[row['ClassName']].append(row['Filename'])
    return by_cls

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('tar', type=Path, help='path to eurosat-rgb.tar')
    p.add_argument('--out', type=Path, default=Path(__file__).parent.parent/'transfer_course'/'eurosat_mini')
    p.add_argument('--train', type=int, default=50, help='train images per class')
    p.add_argument('--valid', type=int, default=40, help='valid images per class')
    p.add_argument('--seed', type=int, default=42)
    a = p.parse_args()
    if a.out.exists(): shutil.rmtree(a.out)
    with tarfile.open(a.tar) as tf:
        for split, csv_name, n in (('train', 'train.csv', a.train), ('valid', 'validation.csv', a.valid)):
            for cls, fns in sorted(read_split(tf, csv_name).items()):
                fns = sorted(fns)
                random.Random(a.seed).shuffle(fns)
                dest = a.out/split/cls
                dest.mkdir(parents=True)
                for fn in fns[:n]: (dest/Path(fn).name).write_bytes(tf.extractfile(f'{ROOT}/{fn}').read())
        (a.out/'LICENSE').write_bytes(tf.extractfile(f'{ROOT}/LICENSE').read())
        prov = tf.extractfile(f'{ROOT}/PROVENANCE.txt').read().decode()
    (a.out/'README.md').write_text(README.format(n_train=a.train, n_valid=a.valid, seed=a.seed, provenance=prov.strip()))
    files = list(a.out.rglob('*.jpg'))
    print(f'{len(files)} images, {sum(f.stat().st_size for f in files)/1e6:.1f} MB -> {a.out}')

if __name__ == '__main__': main()
