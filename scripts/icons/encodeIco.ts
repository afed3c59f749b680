/**
 * A Windows icon (.ico) from square RGBA images, as Windows and NSIS read it: 256 px (and larger
 * than 255, which an ICO cannot state) stored as PNG, smaller sizes as 32-bit BMP (BGRA rows
 * bottom-up, then the 1-bit AND mask), the layout Microsoft recommends since Windows Vista.
 * Reference: "Icons", Win32 docs (ICONDIR/ICONDIRENTRY, BITMAPINFOHEADER).
 */
export interface IcoImage {
  /** Width = height in pixels, 1…256. */
  size: number;
  /** The same image as a PNG file (used for 256 px). */
  png: Uint8Array;
  /** Non-premultiplied RGBA, row-major from the top, size·size·4 bytes. */
  rgba: Uint8Array;
}

/** @throws RangeError for a size outside 1…256, a wrong pixel count, or no images */
export function encodeIco(images: readonly IcoImage[]): Buffer {
  if (images.length === 0) throw new RangeError('an icon needs at least one image');
  const payloads = images.map((image) => {
    if (!Number.isInteger(image.size) || image.size < 1 || image.size > 256)
      throw new RangeError(`icon size ${image.size} is outside 1…256`);
    if (image.rgba.length !== image.size * image.size * 4)
      throw new RangeError(`${image.size} px image has ${image.rgba.length} RGBA bytes`);
    return image.size === 256 ? Buffer.from(image.png) : bmpEntry(image.size, image.rgba);
  });
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach((image, i) => {
    const at = 6 + 16 * i;
    header.writeUInt8(image.size === 256 ? 0 : image.size, at); // 0 means 256
    header.writeUInt8(image.size === 256 ? 0 : image.size, at + 1);
    header.writeUInt8(0, at + 2); // no palette
    header.writeUInt8(0, at + 3);
    header.writeUInt16LE(1, at + 4); // colour planes
    header.writeUInt16LE(32, at + 6); // bits per pixel
    header.writeUInt32LE(payloads[i]!.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += payloads[i]!.length;
  });
  return Buffer.concat([header, ...payloads]);
}

function bmpEntry(size: number, rgba: Uint8Array): Buffer {
  const xorBytes = size * size * 4;
  const maskRow = Math.ceil(size / 32) * 4;
  const info = Buffer.alloc(40);
  info.writeUInt32LE(40, 0); // BITMAPINFOHEADER
  info.writeInt32LE(size, 4);
  info.writeInt32LE(size * 2, 8); // XOR bitmap + AND mask
  info.writeUInt16LE(1, 12);
  info.writeUInt16LE(32, 14);
  info.writeUInt32LE(0, 16); // BI_RGB
  info.writeUInt32LE(xorBytes + maskRow * size, 20);
  const xor = Buffer.alloc(xorBytes);
  const mask = Buffer.alloc(maskRow * size);
  for (let y = 0; y < size; y++) {
    const row = size - 1 - y; // bottom-up
    for (let x = 0; x < size; x++) {
      const src = (y * size + x) * 4;
      const dst = (row * size + x) * 4;
      xor[dst] = rgba[src + 2]!;
      xor[dst + 1] = rgba[src + 1]!;
      xor[dst + 2] = rgba[src]!;
      xor[dst + 3] = rgba[src + 3]!;
      const byte = row * maskRow + (x >> 3);
      if (rgba[src + 3] === 0) mask[byte] = (mask[byte] ?? 0) | (0x80 >> (x & 7)); // transparent for pre-alpha readers
    }
  }
  return Buffer.concat([info, xor, mask]);
}
