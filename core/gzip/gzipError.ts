/**
 * Why gzip data cannot be inflated. Callers branch on `kind`, never on the message (STYLE B4.2):
 * - 'not-gzip': no gzip magic (1f 8b) at the start;
 * - 'truncated': the data ends inside a member (header, DEFLATE stream or trailer);
 * - 'corrupt': a header field or the DEFLATE stream is invalid (RFC 1952 §2.3, RFC 1951 §3.2),
 *   or bytes after the last member are not a gzip member;
 * - 'checksum': a member's CRC32 or ISIZE (or its header CRC16) disagrees with what it inflated to;
 * - 'too-large': the output would exceed the size allowed (a gzip bomb, or more bytes than the
 *   content's own header declares).
 */
export type GzipErrorKind = 'not-gzip' | 'truncated' | 'corrupt' | 'checksum' | 'too-large';

export class GzipError extends Error {
  constructor(
    readonly kind: GzipErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'GzipError';
  }
}
