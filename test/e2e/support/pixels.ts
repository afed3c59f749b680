import { PNG } from 'pngjs';

export interface PixelStats {
  total: number;
  /** Pixels differing from `background` by more than `tolerance` in any channel. */
  foreground: number;
  /** Pixels with red clearly above green and blue (the lesion colour). */
  reddish: number;
}

export function pixelStats(png: Buffer, background: readonly [number, number, number], tolerance = 24): PixelStats {
  const image = PNG.sync.read(png);
  let foreground = 0;
  let reddish = 0;
  for (let i = 0; i < image.data.length; i += 4) {
    const r = image.data[i]!;
    const g = image.data[i + 1]!;
    const b = image.data[i + 2]!;
    if (
      Math.abs(r - background[0]) > tolerance ||
      Math.abs(g - background[1]) > tolerance ||
      Math.abs(b - background[2]) > tolerance
    )
      foreground++;
    if (r > 120 && r > g * 1.8 && r > b * 1.8) reddish++;
  }
  return { total: image.width * image.height, foreground, reddish };
}
