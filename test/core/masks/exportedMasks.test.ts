import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import check from '../../fixtures/masks/exported-check.json';
import { exportedLiver } from '../../fixtures/masks/exportedMaskInputs';
import { expectedSummary, maskFixture, maskReference, maskReferences } from '../../fixtures/masks/maskFixtures';

/**
 * Concord's SEG and NIfTI exports as other tools read them: test/fixtures/masks/exported/ holds
 * the files makeExportedMasks.ts wrote; make_mask_fixtures.py read them with pydicom 2.3.1,
 * dcmtk dcmdump and nibabel 5.0.0 into exported-check.json.
 */
describe('exported masks', () => {
  it('are still written byte for byte as the files those tools read', () => {
    const { seg, nifti } = exportedLiver();
    expect(Buffer.from(seg).equals(readFileSync(maskFixture('exported/liver.seg.dcm')))).toBe(true);
    expect(Buffer.from(nifti).equals(readFileSync(maskFixture('exported/liver.nii.gz')))).toBe(true);
  });

  it('read in pydicom and dcmdump as a valid BINARY SEG of the liver on the CT slices it names', () => {
    const liver = expectedSummary(maskReference('dcmqi/segmentations/liver.dcm#1'));
    expect(check.seg).toMatchObject({
      dcmdumpExitCode: 0,
      dcmdumpErrors: [],
      modality: 'SEG',
      segmentationType: 'BINARY',
      segment: { number: 1, label: 'Liver', type: 'Liver' },
      referencedSeries: '1.2.392.200103.20080913.113635.1.2009.6.22.21.43.10.23430.1',
      frameOfReference: '1.2.392.200103.20080913.113635.3.2009.6.22.21.44.34.23882.1',
      sourceUidsByFrame: maskReferences.liverSegSourceUidsByFrame,
      onTarget: liver,
    });
  });

  it('read in nibabel as a uint8 label image on the CT grid', () => {
    const ct3 = maskReferences.grids['ct-3slice']!;
    expect(check.nifti).toMatchObject({
      dims: ct3.dims,
      datatype: 'uint8',
      intentCode: 1002,
      onTarget: expectedSummary(maskReference('dcmqi/segmentations/liver.dcm#1')),
    });
    // float32 in the header: within 1e-4 mm of the CT geometry
    check.nifti.originMm.forEach((v, i) => expect(v).toBeCloseTo(ct3.originMm[i]!, 4));
    check.nifti.spacingMm.forEach((v, i) => expect(v).toBeCloseTo(ct3.spacingMm[i]!, 4));
    expect(check.nifti.direction).toEqual(ct3.direction);
  });
});
