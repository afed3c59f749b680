"""Peer for `npm run bench -- import`: pydicom header-only read of every file, and the
series-to-HU-volume load done the usual way (dcmread, sort by position, pixel_array *
slope + intercept, numpy stack). Prints JSON timings in seconds."""
import json, sys, time
import numpy as np
import pydicom

mode, listing = sys.argv[1], sys.argv[2]
files = [line.strip() for line in open(listing) if line.strip()]
t0 = time.perf_counter()
if mode == 'index':
    n = 0
    for f in files:
        ds = pydicom.dcmread(f, stop_before_pixels=True)
        n += 1 if ds.SOPInstanceUID else 0
    print(json.dumps({'seconds': time.perf_counter() - t0, 'files': n}))
else:
    slices = [pydicom.dcmread(f) for f in files]
    normal = np.cross(np.array(slices[0].ImageOrientationPatient[:3], float), np.array(slices[0].ImageOrientationPatient[3:], float))
    slices.sort(key=lambda d: float(np.dot(normal, np.array(d.ImagePositionPatient, float))))
    volume = np.stack([d.pixel_array.astype(np.int16) * np.int16(d.RescaleSlope) + np.int16(d.RescaleIntercept) for d in slices])
    print(json.dumps({'seconds': time.perf_counter() - t0, 'shape': list(volume.shape), 'sum': int(volume.astype(np.int64).sum())}))
