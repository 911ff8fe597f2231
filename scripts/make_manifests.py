#!/usr/bin/env python3
"""Write the manifests of the course's subsets into `transfer_course/manifests/`.

For each subset (eurosat-mini, intel-scenes-mini, cats-dogs-mini): `NAME.sha256`, the SHA-256 of every
image with its path inside the subset (the format of `sha256sum`, so `sha256sum -c` checks a copy), and
`NAME.PROVENANCE.txt`, how the subset was drawn and from what. Read from the copies the course's data
folder holds (`$TRANSFER_COURSE_DATA`) and from the embedded eurosat-mini:

    TRANSFER_COURSE_DATA=../shared/data python scripts/make_manifests.py
"""
import transfer_course
from pathlib import Path
from transfer_course.data import dataset_path, _unnest, EMBEDDED
from transfer_course.fetch import MINIS, MANIFESTS, write_manifest

MANIFESTS.mkdir(exist_ok=True)
for name in MINIS:
    folder = _unnest(dataset_path(name, download=False))
    prov = folder/'PROVENANCE.txt' if folder!=EMBEDDED else folder/'README.md'
    (MANIFESTS/f'{name}.PROVENANCE.txt').write_text(prov.read_text())
    m = write_manifest(folder, MANIFESTS/f'{name}.sha256')
    print(f"{name}: {len(m.read_text().splitlines()):,} images -> {m}")
