import { DicomDataError } from './dicomDataError';
import type { Fragment } from './parseDicom';

/**
 * Groups the fragments of encapsulated Pixel Data into frames (PS3.5 §A.4), trying in order:
 * 1. the Extended Offset Table (7FE0,0001) when given, else the Basic Offset Table
 *    (`fragments[0]`): byte offsets of each frame's first fragment item, counted from the first
 *    byte of the first fragment's Item tag; a table that does not point at item starts, is not
 *    increasing, or has the wrong count is ignored (some writers get it wrong);
 * 2. one fragment per frame when the counts match;
 * 3. all fragments as one frame when there is one frame;
 * 4. a new frame at each fragment that opens with a JPEG SOI (FFD8, also JPEG-LS), a JPEG 2000
 *    codestream SOC (FF4F FF51) or a JP2 signature box.
 * @param bytes the buffer the fragment offsets refer to
 * @param fragments the Basic Offset Table item first, then the fragments
 * @param extendedOffsets Extended Offset Table values, if the data set has one
 * @returns numberOfFrames lists of fragments, each non-empty, in stream order
 * @throws RangeError when `fragments` lacks the offset table item or numberOfFrames < 1
 * @throws DicomDataError('malformed-pixel-data') when the fragments cannot be split into numberOfFrames frames
 */
export function fragmentsToFrames(
  bytes: Uint8Array,
  fragments: readonly Fragment[],
  numberOfFrames: number,
  extendedOffsets?: readonly number[],
): Fragment[][] {
  if (fragments.length === 0) throw new RangeError('Encapsulated pixel data must start with the Basic Offset Table item.');
  if (!Number.isInteger(numberOfFrames) || numberOfFrames < 1) throw new RangeError(`numberOfFrames must be a positive integer, got ${numberOfFrames}.`);
  const botItem = fragments[0]!;
  const content = fragments.slice(1);
  if (content.length === 0) throw new DicomDataError('malformed-pixel-data', 'Encapsulated pixel data holds no fragments.');

  const offsets = extendedOffsets ?? readBasicOffsetTable(bytes, botItem);
  if (offsets.length > 0) {
    const byTable = splitByOffsets(content, offsets, numberOfFrames);
    if (byTable) return byTable;
  }
  if (content.length === numberOfFrames) return content.map((f) => [f]);
  if (numberOfFrames === 1) return [content];

  const frames: Fragment[][] = [];
  for (const f of content) {
    if (startsFrame(bytes, f) || frames.length === 0) frames.push([f]);
    else frames[frames.length - 1]!.push(f);
  }
  if (frames.length !== numberOfFrames || !startsFrame(bytes, content[0]!)) {
    throw new DicomDataError(
      'malformed-pixel-data',
      `Number of Frames is ${numberOfFrames} but the ${content.length} pixel data fragments, without a usable offset table, hold ${startsFrame(bytes, content[0]!) ? frames.length : 'no recognisable'} frames.`,
    );
  }
  return frames;
}

function readBasicOffsetTable(bytes: Uint8Array, item: Fragment): number[] {
  const offsets: number[] = [];
  for (let i = 0; i + 4 <= item.length; i += 4) {
    const p = item.offset + i;
    offsets.push((bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24)) >>> 0);
  }
  return offsets;
}

function splitByOffsets(content: readonly Fragment[], offsets: readonly number[], numberOfFrames: number): Fragment[][] | undefined {
  if (offsets.length !== numberOfFrames) return undefined;
  const base = content[0]!.offset - 8;
  const itemStarts = content.map((f) => f.offset - 8 - base);
  const frames: Fragment[][] = [];
  let k = 0;
  for (let frame = 0; frame < numberOfFrames; frame++) {
    const start = offsets[frame]!;
    const end = frame + 1 < numberOfFrames ? offsets[frame + 1]! : Number.POSITIVE_INFINITY;
    if (itemStarts[k] !== start || end <= start) return undefined;
    const list: Fragment[] = [];
    while (k < content.length && itemStarts[k]! < end) list.push(content[k++]!);
    frames.push(list);
  }
  return frames;
}

function startsFrame(bytes: Uint8Array, f: Fragment): boolean {
  const b = (i: number) => (i < f.length ? bytes[f.offset + i]! : -1);
  if (b(0) === 0xff && b(1) === 0xd8) return true;
  if (b(0) === 0xff && b(1) === 0x4f && b(2) === 0xff && b(3) === 0x51) return true;
  return b(0) === 0x00 && b(1) === 0x00 && b(2) === 0x00 && b(3) === 0x0c && b(4) === 0x6a && b(5) === 0x50 && b(6) === 0x20 && b(7) === 0x20;
}
