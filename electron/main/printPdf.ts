import { BrowserWindow } from 'electron';
import { rename, writeFile } from 'node:fs/promises';

/**
 * The desktop shell's PDF printer for the agreement report: loads the report's HTML file in a
 * hidden, sandboxed window with JavaScript off (the report is static HTML and SVG) and writes
 * `webContents.printToPDF` (A4, backgrounds printed, the page's own @page margins) atomically.
 */
export async function printPdf(htmlPath: string, pdfPath: string): Promise<void> {
  const win = new BrowserWindow({
    show: false,
    webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false },
  });
  try {
    await win.loadFile(htmlPath);
    const data = await win.webContents.printToPDF({ pageSize: 'A4', printBackground: true, preferCSSPageSize: true });
    await writeFile(`${pdfPath}.partial`, data);
    await rename(`${pdfPath}.partial`, pdfPath);
  } finally {
    win.destroy();
  }
}
