import { describe, expect, it } from 'vitest';
import { chooseSegment } from '../../../core/masks/chooseSegment';

const segments = [
  { segmentNumber: 1, label: 'Liver', propertyType: 'Liver' },
  { segmentNumber: 2, label: 'Lesion 1', propertyType: 'Neoplasm' },
  { segmentNumber: 3, label: 'Lesion 2', propertyType: 'Neoplasm' },
];

describe('chooseSegment', () => {
  it.each([
    [2, 2],
    ['liver', 1],
    ['  LESION 2 ', 3],
  ] as const)('picks %j → segment %i', (wanted, number) => {
    expect(chooseSegment(segments, wanted).segmentNumber).toBe(number);
  });

  it('falls back to the property type, and picks the only segment when nothing is asked', () => {
    expect(chooseSegment([{ segmentNumber: 4, label: 'Seg A', propertyType: 'Liver' }], 'liver').segmentNumber).toBe(4);
    expect(chooseSegment([segments[0]!], undefined).segmentNumber).toBe(1);
  });

  it.each([
    [undefined, /holds 3 segments \(1 "Liver", 2 "Lesion 1", 3 "Lesion 2"\); choose one/],
    [7, /Segment 7 is not in the file/],
    ['Neoplasm', /2 segments are named "Neoplasm" \(2, 3\)/],
    ['Spleen', /No segment is named "Spleen"/],
  ] as const)('refuses %j', (wanted, message) => {
    expect(() => chooseSegment(segments, wanted)).toThrow(
      expect.objectContaining({ kind: 'no-such-segment', message: expect.stringMatching(message) }),
    );
  });
});
