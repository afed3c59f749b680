/**
 * The renderer's Content Security Policy: only our own scripts, no eval, no plugins, network
 * only to our own origin. `renderer/index.html` carries exactly `rendererCsp` in its meta tag
 * (a test checks it); the host sends `hostCsp` as a header, which adds what a meta tag
 * cannot express (frame-ancestors).
 */
export const rendererCsp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export const hostCsp = `${rendererCsp}; frame-ancestors 'none'`;
