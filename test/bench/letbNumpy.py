"""Peer for `npm run bench -- letb`: the same LETB pass in numpy (Debian python3-numpy) over
raw files written by the benchmark: subtraction, liver values, a spherical ROI's mean and SD,
T = mean + 2 SD, count of liver voxels above T. Loading the files is not timed.
argv: dir nx ny nz sx sy sz cx cy cz radius_mm (ROI centre in voxel index space)."""
import json, sys, time
import numpy as np

d = sys.argv[1]
nx, ny, nz = (int(v) for v in sys.argv[2:5])
sx, sy, sz = (float(v) for v in sys.argv[5:8])
cx, cy, cz, r = (float(v) for v in sys.argv[8:12])
art = np.fromfile(f'{d}/arterial.raw', dtype=np.int16).reshape(nz, ny, nx)
pre = np.fromfile(f'{d}/pre.raw', dtype=np.int16).reshape(nz, ny, nx)
mask = np.fromfile(f'{d}/mask.raw', dtype=np.uint8).reshape(nz, ny, nx).astype(bool)

def letb():
    s = art.astype(np.float32) - pre
    liver = s[mask]
    k0, k1 = int(np.ceil(cz - r / sz)), int(np.floor(cz + r / sz))
    j0, j1 = int(np.ceil(cy - r / sy)), int(np.floor(cy + r / sy))
    i0, i1 = int(np.ceil(cx - r / sx)), int(np.floor(cx + r / sx))
    kk, jj, ii = np.meshgrid(np.arange(k0, k1 + 1), np.arange(j0, j1 + 1), np.arange(i0, i1 + 1), indexing='ij')
    inside = ((ii - cx) * sx) ** 2 + ((jj - cy) * sy) ** 2 + ((kk - cz) * sz) ** 2 <= r * r
    roi = s[kk[inside], jj[inside], ii[inside]]
    t = roi.mean() + 2 * roi.std(ddof=1)
    return int((liver > t).sum()), float(t), int(liver.size)

best = float('inf')
for _ in range(3):
    t0 = time.perf_counter()
    enhancing, threshold, liver = letb()
    best = min(best, time.perf_counter() - t0)
print(json.dumps({'seconds': best, 'enhancing': enhancing, 'threshold': threshold, 'liver': liver}))
