import { DicomDataError } from './dicomDataError';
import type { Fragment } from './parseDicom';

/**
 * Groups the fragments of encapsulated Pixel Data into frames (PS3.5 §A.4), trying in order:
 * 1. the Extended Offset Table (7FE0,0001) when given, else the Basic Offset Table
 *    (`fragments[0]`): byte offsets of each frame's first fragment item, counted from the first
 *    byte of the first fragment's Item tag; a table that does not start at 0, does not point at
 *    item starts or is not increasing is ignored (some writers get it wrong), but one that
 *    lists another number of frames than Number of Frames is an error;
 * 2. one fragment per frame when the counts match;
 * 3. all fragments as one frame when there is one frame;
 * 4. a new frame at each fragment that opens with a JPEG SOI (FFD8, also JPEG-LS), a JPEG 2000
 *    codestream SOC (FF4F FF51), a JP2 signature box or an RLE header.
 * Whatever the route, a frame whose later fragment opens a new codestream means more frames
 * than Number of Frames, and is refused: decoders would silently drop it.
 * @param bytes the buffer the fragment offsets refer to
 * @param fragments the Basic Offset Table item first, then the fragments
 * @param extendedOffsets Extended Offset Table values, if the data set has one
 * @returns numberOfFrames lists of fragments, each non-empty, in stream order
 * @throws RangeError when numberOfFrames < 1
 * @throws DicomDataError('malformed-pixel-data') when there are no items, the Basic Offset Table
 *   item is missing (the first item holds a codestream) or malformed, a fragment is empty, or
 *   the fragments hold more or fewer frames than numberOfFrames
 */
export function fragmentsToFrames(
  bytes: Uint8Array,
  fragments: readonly Fragment[],
  numberOfFrames: number,
  extendedOffsets?: readonly number[],
): Fragment[][] {
  if (!Number.isInteger(numberOfFrames) || numberOfFrames < 1)
    throw new RangeError(`numberOfFrames must be a positive integer, got ${numberOfFrames}.`);
  if (fragments.length === 0)
    throw malformed(
      'Encapsulated Pixel Data holds no items; it must start with the Basic Offset Table item (PS3.5 §A.4).',
    );
  const botItem = fragments[0]!;
  if (startsFrame(bytes, botItem)) {
    throw malformed(
      `The Basic Offset Table item is missing: the first pixel data item holds ${frameKind(bytes, botItem)} (PS3.5 §A.4 requires an offset table item, empty or not, before the fragments).`,
    );
  }
  if (botItem.length % 4 !== 0) {
    throw malformed(
      `The first pixel data item, the Basic Offset Table, is ${botItem.length} bytes, not a multiple of 4: the offset table item is missing or malformed.`,
    );
  }
  const content = fragments.slice(1);
  if (content.length === 0) throw malformed('Encapsulated Pixel Data holds an offset table but no fragments.');
  const empty = content.findIndex((f) => f.length === 0);
  if (empty >= 0) throw malformed(`Pixel data fragment ${empty + 1} of ${content.length} is empty.`);

  const offsets = extendedOffsets ?? readBasicOffsetTable(bytes, botItem);
  const table = extendedOffsets ? 'Extended Offset Table' : 'Basic Offset Table';
  let frames: Fragment[][] | undefined;
  if (offsets.length > 0 && pointsAtItems(content, offsets)) {
    if (offsets.length !== numberOfFrames)
      throw malformed(`The ${table} lists ${offsets.length} frame(s) but Number of Frames is ${numberOfFrames}.`);
    frames = splitByOffsets(content, offsets);
  } else if (content.length === numberOfFrames) {
    frames = content.map((f) => [f]);
  } else if (numberOfFrames === 1) {
    frames = [content];
  } else {
    frames = [];
    for (const f of content) {
      if (startsFrame(bytes, f) || frames.length === 0) frames.push([f]);
      else frames[frames.length - 1]!.push(f);
    }
    if (frames.length !== numberOfFrames || !startsFrame(bytes, content[0]!)) {
      throw malformed(
        `Number of Frames is ${numberOfFrames} but the ${content.length} pixel data fragments, without a usable offset table, hold ${startsFrame(bytes, content[0]!) ? frames.length : 'no recognisable'} frames.`,
      );
    }
  }
  frames.forEach((list, f) => {
    const extra = list.findIndex((fragment, k) => k > 0 && startsFrame(bytes, fragment));
    if (extra > 0) {
      throw malformed(
        `Frame ${f + 1} of ${numberOfFrames} holds a second codestream (${frameKind(bytes, list[extra]!)} in its fragment ${extra + 1}): the pixel data holds more frames than Number of Frames (${numberOfFrames}).`,
      );
    }
  });
  return frames;
}

function malformed(message: string): DicomDataError {
  return new DicomDataError('malformed-pixel-data', message);
}

function readBasicOffsetTable(bytes: Uint8Array, item: Fragment): number[] {
  const offsets: number[] = [];
  for (let i = 0; i + 4 <= item.length; i += 4) {
    const p = item.offset + i;
    offsets.push((bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24)) >>> 0);
  }
  return offsets;
}

/** The table starts at 0, increases, and every offset is the start of a fragment item. */
function pointsAtItems(content: readonly Fragment[], offsets: readonly number[]): boolean {
  const base = content[0]!.offset - 8;
  const itemStarts = new Set(content.map((f) => f.offset - 8 - base));
  return offsets[0] === 0 && offsets.every((o, i) => itemStarts.has(o) && (i === 0 || o > offsets[i - 1]!));
}

function splitByOffsets(content: readonly Fragment[], offsets: readonly number[]): Fragment[][] {
  const base = content[0]!.offset - 8;
  const frames: Fragment[][] = offsets.map(() => []);
  let frame = 0;
  for (const f of content) {
    while (frame + 1 < offsets.length && f.offset - 8 - base >= offsets[frame + 1]!) frame++;
    frames[frame]!.push(f);
  }
  return frames;
}

function startsFrame(bytes: Uint8Array, f: Fragment): boolean {
  return frameKind(bytes, f) !== undefined;
}

/** What codestream a fragment opens, if it opens one. */
function frameKind(bytes: Uint8Array, f: Fragment): string | undefined {
  const b = (i: number) => (i < f.length ? bytes[f.offset + i]! : -1);
  if (b(0) === 0xff && b(1) === 0xd8) return 'a JPEG codestream (SOI)';
  if (b(0) === 0xff && b(1) === 0x4f && b(2) === 0xff && b(3) === 0x51) return 'a JPEG 2000 codestream (SOC)';
  if (
    b(0) === 0x00 &&
    b(1) === 0x00 &&
    b(2) === 0x00 &&
    b(3) === 0x0c &&
    b(4) === 0x6a &&
    b(5) === 0x50 &&
    b(6) === 0x20 &&
    b(7) === 0x20
  )
    return 'a JP2 file';
  // RLE header (PS3.5 §G.5): 1-15 segments, the first at byte 64.
  if (
    f.length >= 64 &&
    b(0) >= 1 &&
    b(0) <= 15 &&
    b(1) === 0 &&
    b(2) === 0 &&
    b(3) === 0 &&
    b(4) === 64 &&
    b(5) === 0 &&
    b(6) === 0 &&
    b(7) === 0
  )
    return 'an RLE frame (RLE header)';
  return undefined;
}
