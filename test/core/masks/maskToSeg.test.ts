import { describe, expect, it } from 'vitest';
import { parseDicom, type DicomDataset } from '../../../core/dicom/parseDicom';
import { T } from '../../../core/dicom/tags';
import { getItems, getString } from '../../../core/dicom/values';
import type { Grid } from '../../../core/imaging/grid';
import { ctSeriesReference } from '../../../core/masks/ctSeriesReference';
import { labelMask } from '../../../core/masks/labelMask';
import { MaskGridError } from '../../../core/masks/maskGridError';
import { maskOnGrid } from '../../../core/masks/maskOnGrid';
import { maskToNifti } from '../../../core/masks/maskToNifti';
import { maskToSeg } from '../../../core/masks/maskToSeg';
import { readSeg } from '../../../core/masks/readSeg';
import { readSegContents } from '../../../core/masks/segContents';
import { readNifti } from '../../../core/nifti/readNifti';
import {
  expectedSummary,
  maskReference,
  maskReferences,
  readShared,
  summarizeMask,
} from '../../fixtures/masks/maskFixtures';

const ct3 = maskReferences.grids['ct-3slice']!;
// File order 01, 02, 03 is the reverse of z order (README), so k must come from positions.
const ctHeaders = () =>
  ['01', '02', '03'].map((n) =>
    parseDicom(readShared(`dcmqi/segmentations/ct-3slice/${n}.dcm`), { untilPixelData: true }),
  );
const uids = { seriesInstanceUid: '2.25.1001', sopInstanceUid: '2.25.1002', dimensionOrganizationUid: '2.25.1003' };

function liverOnCt() {
  const seg = readSeg(parseDicom(readShared('dcmqi/segmentations/liver.dcm')));
  return maskOnGrid(seg.masks[0]!.mask, ct3).mask;
}

describe('ctSeriesReference', () => {
  it('finds the CT slice of every k by position, as dcmqi referenced them in liver.dcm', () => {
    const ref = ctSeriesReference(ctHeaders(), ct3);
    expect(ref.source.sopInstanceUidsByK).toEqual(maskReferences.liverSegSourceUidsByFrame);
    expect(ref.source.sopInstanceUidsByK).toEqual(ct3.sopInstanceUidsByK);
    expect(ref.source).toMatchObject({
      seriesInstanceUid: '1.2.392.200103.20080913.113635.1.2009.6.22.21.43.10.23430.1',
      frameOfReferenceUid: '1.2.392.200103.20080913.113635.3.2009.6.22.21.44.34.23882.1',
      sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
    });
    expect(ref.patientStudy).toMatchObject({
      patientName: 'JANCT000',
      patientId: '99000',
      studyInstanceUid: '1.2.392.200103.20080913.113635.0.2009.6.22.21.43.10.22941.1',
    });
  });

  it.each([
    ['a missing slice', () => ctHeaders().slice(0, 2), ct3, /no slice lies at k = 0/],
    [
      'a grid shifted by half a slice',
      ctHeaders,
      { ...ct3, originMm: [ct3.originMm[0], ct3.originMm[1], ct3.originMm[2] + 0.5] } as Grid,
      /is not on a grid slice/,
    ],
    ['a grid of other pixels', ctHeaders, { ...ct3, dims: [256, 256, 3] } as Grid, /is 512x512 pixels/],
  ])('refuses %s', (_what, headers, grid, message) => {
    expect(() => ctSeriesReference(headers(), grid)).toThrow(MaskGridError);
    expect(() => ctSeriesReference(headers(), grid)).toThrow(message);
  });
});

describe('maskToSeg and maskToNifti', () => {
  it('round-trips the liver SEG → NIfTI → SEG voxel for voxel', () => {
    const liver = liverOnCt();
    const nifti = readNifti(maskToNifti(liver, 'liver round trip'));
    expect(nifti).toMatchObject({ datatype: 'uint8', intentCode: 1002, description: 'liver round trip' });
    const fromNifti = maskOnGrid(labelMask(nifti.volume), ct3);
    expect(fromNifti.resampled).toBe(false); // float32 geometry in the header is within 1e-3 mm of the CT grid
    const segBytes = maskToSeg({
      mask: fromNifti.mask,
      ct: ctSeriesReference(ctHeaders(), ct3),
      uids,
      contentDate: '20240131',
      contentTime: '101500',
      softwareVersions: '0.1.0',
    });
    const parsed = parseDicom(segBytes);
    const back = readSeg(parsed);
    expect(back.masks[0]).toMatchObject({ segmentNumber: 1, label: 'Liver', propertyType: 'Liver', voxels: 107_098 });
    const onCt = maskOnGrid(back.masks[0]!.mask, ct3);
    expect(onCt.resampled).toBe(false);
    expect(summarizeMask(onCt.mask.voxels, ct3.dims)).toEqual(
      expectedSummary(maskReference('dcmqi/segmentations/liver.dcm#1')),
    );
    // It references the CT: its series, and per frame the CT slice at that k.
    expect(back.referencedSeriesInstanceUid).toBe('1.2.392.200103.20080913.113635.1.2009.6.22.21.43.10.23430.1');
    const sourceOf = (frame: DicomDataset) => {
      const derivation = getItems(frame, T.DerivationImageSequence)[0]!;
      return getString(getItems(derivation, T.SourceImageSequence)[0]!, T.ReferencedSOPInstanceUID);
    };
    const sources = getItems(parsed.dataset, T.PerFrameFunctionalGroupsSequence).map(sourceOf);
    expect(sources).toEqual(maskReferences.liverSegSourceUidsByFrame);
    expect(getString(parsed.dataset, T.Manufacturer)).toBe('Concord');
    expect(getString(parsed.dataset, T.ContentLabel)).toBe('LIVER');
  });

  it('describes a tumour mask with the SNOMED Neoplasm codes', () => {
    const bytes = maskToSeg({
      mask: liverOnCt(),
      ct: ctSeriesReference(ctHeaders(), ct3),
      segment: 'tumour',
      uids,
      contentDate: '20240131',
      contentTime: '101500',
      softwareVersions: '0.1.0',
    });
    expect(readSegContents(parseDicom(bytes)).segments).toEqual([
      {
        segmentNumber: 1,
        label: 'Tumour',
        propertyType: 'Neoplasm',
        propertyCategory: 'Morphologically Altered Structure',
        algorithmType: 'SEMIAUTOMATIC',
      },
    ]);
  });

  it('refuses an empty mask', () => {
    const empty = { ...liverOnCt(), voxels: new Uint8Array(512 * 512 * 3) };
    expect(() =>
      maskToSeg({
        mask: empty,
        ct: ctSeriesReference(ctHeaders(), ct3),
        uids,
        contentDate: '20240131',
        contentTime: '101500',
        softwareVersions: '0.1.0',
      }),
    ).toThrow(/empty/);
  });
});
