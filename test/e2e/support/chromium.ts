/** Debian's Chromium with the flags that let vtk.js render through SwiftShader, headless. */
export const chromiumPath = process.env.CONCORD_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumArgs = [
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
