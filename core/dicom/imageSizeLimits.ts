import { DicomDataError } from './dicomDataError';

/** Largest Rows and Columns Concord decodes: 16,384 pixels (a CT slice is 512, a mammogram ~4,000). */
export const maxFrameSidePixels = 16_384;

/** Most decoded bytes Concord allocates for one image object or one volume: 2 GiB. */
export const maxImageBytes = 2 ** 31;

/** What a header declares about the size of its pixel data. */
export interface DeclaredImageSize {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  numberOfFrames: number;
}

/**
 * Refuses an image whose header declares more than Concord will allocate, before anything is
 * allocated: Rows or Columns over 16,384, or decoded frames totalling over 2 GiB (rows ·
 * columns · samples · bytes per sample · frames; Bits Allocated 1 decodes to one byte a pixel).
 * The message says what the header declared.
 * @throws DicomDataError('invalid-attribute') when a limit is exceeded
 */
export function checkImageSize(size: DeclaredImageSize): void {
  const { rows, columns, samplesPerPixel, bitsAllocated, numberOfFrames } = size;
  if (rows > maxFrameSidePixels || columns > maxFrameSidePixels) {
    throw new DicomDataError(
      'invalid-attribute',
      `Rows ${rows} x Columns ${columns} is larger than the ${maxFrameSidePixels} x ${maxFrameSidePixels} pixels per frame that Concord decodes.`,
    );
  }
  const bytes = rows * columns * samplesPerPixel * decodedBytesPerSample(bitsAllocated) * numberOfFrames;
  if (bytes > maxImageBytes) {
    throw new DicomDataError(
      'invalid-attribute',
      `${numberOfFrames} frame(s) of ${columns} x ${rows} x ${samplesPerPixel} sample(s) at ${bitsAllocated} bits declare ${formatGiB(bytes)} of pixel data, more than the 2 GiB that Concord decodes per image.`,
    );
  }
}

/**
 * Refuses a volume of more than 2 GiB (voxels · bytes per voxel) before it is allocated.
 * @param what how the message names the volume, e.g. `Series "CT 3"`
 * @throws DicomDataError('invalid-attribute') when the limit is exceeded
 */
export function checkVolumeSize(what: string, dims: readonly [number, number, number], bytesPerVoxel: number): void {
  const bytes = dims[0] * dims[1] * dims[2] * bytesPerVoxel;
  if (bytes > maxImageBytes) {
    throw new DicomDataError(
      'invalid-attribute',
      `${what}: ${dims[0]} x ${dims[1]} x ${dims[2]} voxels at ${bytesPerVoxel} byte(s) need ${formatGiB(bytes)}, more than the 2 GiB that Concord loads per volume.`,
    );
  }
}

/** Bytes one decoded sample takes: Bits Allocated 1 unpacks to one byte per pixel. */
export function decodedBytesPerSample(bitsAllocated: number): number {
  return bitsAllocated <= 8 ? 1 : Math.ceil(bitsAllocated / 8);
}

/** "4.0 GiB (4,295,491,584 bytes)": the exact count too, since 2.0005 GiB rounds to the limit. */
function formatGiB(bytes: number): string {
  const gib = bytes / 2 ** 30;
  const exact = String(bytes).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${gib >= 10 ? gib.toFixed(0) : gib.toFixed(1)} GiB (${exact} bytes)`;
}
