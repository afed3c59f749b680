import { chromium } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { encodeIcns, icnsTypes } from './icons/encodeIcns';
import { encodeIco } from './icons/encodeIco';

/**
 * `npm run icons`: renders build/icon.svg (the one committed drawing) with Chromium at every
 * size the installers need and writes, all generated and committed:
 * - build/icon.png (1024 px: electron-builder's default and the macOS source),
 * - build/icons/<n>x<n>.png (16…1024: the Linux AppImage/deb icon set),
 * - build/icon.ico (16…256: Windows and the NSIS installer),
 * - build/icon.icns (16…1024: macOS app and dmg).
 * Each size is rendered from the vector drawing, not scaled down from a bitmap. Needs Chromium
 * (`/usr/bin/chromium`, or CONCORD_CHROMIUM); run it again after editing the SVG.
 */
const buildDir = fileURLToPath(new URL('../build/', import.meta.url));
const linuxIconSizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
const icoSizes = [16, 24, 32, 48, 64, 128, 256] as const;

async function main(): Promise<void> {
  const svg = readFileSync(join(buildDir, 'icon.svg'), 'utf8');
  const sizes = [...new Set([...linuxIconSizes, ...icoSizes, ...Object.values(icnsTypes)])].sort((a, b) => a - b);
  const browser = await chromium.launch({
    executablePath: process.env.CONCORD_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--force-color-profile=srgb'],
  });
  const pngBySize = new Map<number, Buffer>();
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const image = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    for (const size of sizes) {
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(
        `<html><body style="margin:0;background:transparent"><img src="${image}" width="${size}" height="${size}" style="display:block"></body></html>`,
      );
      await page.locator('img').evaluate((img) => (img as unknown as { decode(): Promise<void> }).decode());
      pngBySize.set(
        size,
        await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }),
      );
    }
  } finally {
    await browser.close();
  }
  const png = (size: number) => pngBySize.get(size)!;
  mkdirSync(join(buildDir, 'icons'), { recursive: true });
  writeFileSync(join(buildDir, 'icon.png'), png(1024));
  for (const size of linuxIconSizes) writeFileSync(join(buildDir, 'icons', `${size}x${size}.png`), png(size));
  writeFileSync(
    join(buildDir, 'icon.ico'),
    encodeIco(icoSizes.map((size) => ({ size, png: png(size), rgba: PNG.sync.read(png(size)).data }))),
  );
  writeFileSync(join(buildDir, 'icon.icns'), encodeIcns(pngBySize));
  console.log(`icons: ${sizes.join(', ')} px from build/icon.svg`);
}

await main();
