/**
 * A macOS icon (.icns) of PNG entries (macOS 10.7 and later read PNG in every type below).
 * File: 'icns', total length (u32 big-endian), then entries of OSType, length including its
 * 8-byte header, data. Reference: Apple Icon Image format; the OSTypes are those `iconutil`
 * writes for an .iconset.
 */
export const icnsTypes: Readonly<Record<string, number>> = {
  icp4: 16,
  icp5: 32,
  ic11: 32, // 16 pt @2x
  icp6: 64,
  ic12: 64, // 32 pt @2x
  ic07: 128,
  ic08: 256,
  ic13: 256, // 128 pt @2x
  ic09: 512,
  ic14: 512, // 256 pt @2x
  ic10: 1024, // 512 pt @2x
};

/**
 * @param pngBySize PNG files keyed by their pixel size; every size `icnsTypes` names must be present
 * @throws RangeError when a size is missing
 */
export function encodeIcns(pngBySize: ReadonlyMap<number, Uint8Array>): Buffer {
  const entries = Object.entries(icnsTypes).map(([type, size]) => {
    const png = pngBySize.get(size);
    if (!png) throw new RangeError(`icns type ${type} needs a ${size} px PNG`);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(8 + png.length, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + entries.reduce((n, e) => n + e.length, 0), 4);
  return Buffer.concat([head, ...entries]);
}
