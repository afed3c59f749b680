import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { DemoGroundTruth } from '../../core/demo/demoGroundTruth';
import { sharedDataDir } from '../../electron/platform/paths';
import { parseDoc, Tags, type DicomDoc } from './dicom/dicomDoc';
import { gunzip } from './masks/gzip';
import type { MaskSource } from './mutations/maskMutations';
import type { DicomSource } from './mutations/types';

/**
 * The real files the campaign mutates: every DICOM file of ../shared/data (written by dcmqi,
 * pydicom, highdicom, GDCM, dcmtk) and the demo cohort that `concord demo --size small` wrote,
 * plus the LETB settings (series folders, liver masks, ROI centres) the value checks run with.
 * Everything is listed in a fixed order, so a case is re-made from (seed, index) alone.
 */
export interface LetbContext {
  key: string;
  pre: string;
  arterial: string;
  /** ROI centres, "x,y,z" in LPS mm. */
  rois: string[];
  roiMl: number;
}

/** One slice of the arterial series the LETB checks mutate. */
export interface ArterialSlice {
  fileName: string;
  source: DicomSource;
  z: number;
  /** The liver mask covers this slice; `roi` when an ROI centre lies on it. */
  liver: boolean;
  roi: boolean;
}

export interface Corpus {
  demoDir: string;
  /** Sources of the import cases: shared files, demo slices and SEGs. */
  shared: DicomSource[];
  demo: DicomSource[];
  /** DEMO-0002's pre-treatment arterial series, slice by slice (the LETB subject). */
  arterial: ArterialSlice[];
  arterialSeriesUid: string;
  masks: MaskSource[];
  contexts: Record<string, LetbContext>;
  /** Folders imported into the baseline data folder before any case. */
  baselineFolders: string[];
}

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else out.push(path);
  }
  return out;
}

function tryDoc(bytes: Uint8Array): DicomDoc | undefined {
  try {
    return parseDoc(bytes);
  } catch {
    return undefined;
  }
}

const source = (name: string, path: string): DicomSource => {
  const bytes = new Uint8Array(readFileSync(path));
  return { name, bytes, doc: tryDoc(bytes) };
};

/** The shared DICOM files (everything under ../shared/data/dicom but licences and notes). */
export function sharedSources(): DicomSource[] {
  const root = join(sharedDataDir, 'dicom');
  return files(root)
    .filter((p) => !/\.(txt|md|json|dump|nrrd|gz)$|LICENSE|COPYRIGHT|README/i.test(p))
    .map((p) => source(`shared:${relative(root, p)}`, p));
}

/**
 * Loads the corpus around a demo cohort already written to `demoDir` (concord demo --out
 * demoDir --size small).
 */
export function loadCorpus(demoDir: string): Corpus {
  const truth = JSON.parse(readFileSync(join(demoDir, 'DEMO-0002', 'ground-truth.json'), 'utf8')) as DemoGroundTruth;
  const pre = truth.timepoints.find((t) => t.key === 'pre')!;
  const tpDir = join(demoDir, pre.folder);
  const artDir = join(tpDir, 'ART');
  const roiZ = pre.roiCentresLpsMm.map((c) => c[2]);

  // Which slices the liver covers, from the NIfTI mask (uint8 behind a 352-byte header).
  const nifti = gunzip(new Uint8Array(readFileSync(join(demoDir, pre.liverMaskNifti))));
  const [nx, ny, nz] = pre.grid.dims;
  const liverSlices = new Set<number>();
  for (let k = 0; k < nz; k++) {
    const slice = nifti.subarray(352 + k * nx * ny, 352 + (k + 1) * nx * ny);
    if (slice.some((v) => v !== 0)) liverSlices.add(k);
  }
  const arterial = readdirSync(artDir)
    .sort()
    .map((fileName) => {
      const src = source(`demo:${pre.folder}/ART/${fileName}`, join(artDir, fileName));
      const z = Number(src.doc!.string(Tags.ImagePositionPatient)!.split('\\')[2]);
      const k = Math.round((z - pre.grid.originMm[2]) / pre.grid.spacingMm[2]);
      return {
        fileName,
        source: src,
        z,
        liver: liverSlices.has(k),
        roi: roiZ.some((rz) => Math.abs(rz - z) < pre.grid.spacingMm[2] / 2),
      };
    });

  const demoFiles = [
    ...['ART', 'PRE', 'PV'].flatMap((phase) =>
      ['IM0001.dcm', 'IM0036.dcm', 'IM0050.dcm'].map((f) => join(tpDir, phase, f)),
    ),
    join(tpDir, 'SEG', 'IM0001.dcm'),
  ];
  const demo = demoFiles.map((p) => source(`demo:${relative(demoDir, p)}`, p));

  const segPath = join(demoDir, pre.segmentation.file);
  const segBytes = new Uint8Array(readFileSync(segPath));
  const demoRefs = {
    seriesUid: pre.series.find((s) => s.phase === 'arterial')!.seriesInstanceUid,
    frameOfReferenceUid: pre.frameOfReferenceUid,
    patientId: truth.patientId,
  };
  const ct3 = join(sharedDataDir, 'dicom', 'dcmqi', 'segmentations');
  const sharedSeg = (rel: string, name: string): MaskSource => {
    const bytes = new Uint8Array(readFileSync(join(sharedDataDir, 'dicom', rel)));
    const doc = tryDoc(bytes);
    return { name, format: 'seg', bytes, suffix: '.dcm', context: 'ct3', ...(doc ? { doc } : {}) };
  };
  const masks: MaskSource[] = [
    {
      name: `demo:${pre.liverMaskNifti}`,
      format: 'nifti',
      bytes: new Uint8Array(readFileSync(join(demoDir, pre.liverMaskNifti))),
      suffix: '.nii.gz',
      context: 'demo',
    },
    {
      name: `demo:${pre.segmentation.file}`,
      format: 'seg',
      bytes: segBytes,
      suffix: '.dcm',
      context: 'demo',
      doc: parseDoc(segBytes),
      references: demoRefs,
    },
    {
      name: 'demo:liver_mask_arterial.nrrd (written here from the NIfTI)',
      format: 'nrrd',
      bytes: nrrdOf(nifti.subarray(352), pre.grid),
      suffix: '.nrrd',
      context: 'demo',
    },
    sharedSeg('dcmqi/segmentations/liver.dcm', 'shared:dcmqi/segmentations/liver.dcm'),
    sharedSeg('pydicom-data/liver_rle.dcm', 'shared:pydicom-data/liver_rle.dcm'),
    sharedSeg('pydicom-data/liver_j2k.dcm', 'shared:pydicom-data/liver_j2k.dcm'),
    sharedSeg('pydicom-data/liver_expb.dcm', 'shared:pydicom-data/liver_expb.dcm'),
    sharedSeg('pydicom-data/liver_deflate.dcm', 'shared:pydicom-data/liver_deflate.dcm'),
    {
      name: 'shared:dcmqi/segmentations/liver_seg.nrrd',
      format: 'nrrd',
      bytes: new Uint8Array(readFileSync(join(ct3, 'liver_seg.nrrd'))),
      suffix: '.nrrd',
      context: 'ct3',
    },
  ];

  return {
    demoDir,
    shared: sharedSources(),
    demo,
    arterial,
    arterialSeriesUid: demoRefs.seriesUid,
    masks,
    contexts: {
      demo: {
        key: 'demo',
        pre: join(tpDir, 'PRE'),
        arterial: artDir,
        rois: pre.roiCentresLpsMm.map((c) => c.join(',')),
        roiMl: 1,
      },
      // The liver SEG of ../shared/data lies on three real CT slices: pre = arterial there, so
      // LETB is 0 and the liver volume carries the check. ROI at the liver's centroid.
      ct3: {
        key: 'ct3',
        pre: join(ct3, 'ct-3slice'),
        arterial: join(ct3, 'ct-3slice'),
        rois: ['-74,-33.3,-127.69'],
        roiMl: 0.5,
      },
    },
    baselineFolders: [tpDir, join(demoDir, 'DEMO-0003')],
  };
}

/** The demo liver mask as a gzip NRRD in LPS (sizes, space directions and origin of the CT grid). */
function nrrdOf(
  voxels: Uint8Array,
  grid: { dims: number[]; spacingMm: number[]; originMm: number[]; direction: number[] },
): Uint8Array {
  const d = grid.direction;
  const col = (i: number) =>
    `(${[d[i]! * grid.spacingMm[i]!, d[3 + i]! * grid.spacingMm[i]!, d[6 + i]! * grid.spacingMm[i]!].join(',')})`;
  const header = [
    'NRRD0004',
    'type: uint8',
    'dimension: 3',
    'space: left-posterior-superior',
    `sizes: ${grid.dims.join(' ')}`,
    `space directions: ${col(0)} ${col(1)} ${col(2)}`,
    'kinds: domain domain domain',
    'endian: little',
    'encoding: gzip',
    `space origin: (${grid.originMm.join(',')})`,
    '',
    '',
  ].join('\n');
  return new Uint8Array(Buffer.concat([Buffer.from(header, 'latin1'), gzipSync(voxels)]));
}
