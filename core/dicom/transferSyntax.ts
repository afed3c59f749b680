/** Transfer syntaxes Concord recognises (PS3.5 §10, Annex A). */
export const TS = {
  ImplicitVRLittleEndian: '1.2.840.10008.1.2',
  ExplicitVRLittleEndian: '1.2.840.10008.1.2.1',
  EncapsulatedUncompressedExplicitVRLittleEndian: '1.2.840.10008.1.2.1.98',
  DeflatedExplicitVRLittleEndian: '1.2.840.10008.1.2.1.99',
  ExplicitVRBigEndian: '1.2.840.10008.1.2.2',
  JPEGBaseline8Bit: '1.2.840.10008.1.2.4.50',
  JPEGExtended12Bit: '1.2.840.10008.1.2.4.51',
  JPEGLossless: '1.2.840.10008.1.2.4.57',
  JPEGLosslessSV1: '1.2.840.10008.1.2.4.70',
  JPEGLSLossless: '1.2.840.10008.1.2.4.80',
  JPEGLSNearLossless: '1.2.840.10008.1.2.4.81',
  JPEG2000Lossless: '1.2.840.10008.1.2.4.90',
  JPEG2000: '1.2.840.10008.1.2.4.91',
  HTJ2KLossless: '1.2.840.10008.1.2.4.201',
  HTJ2KLosslessRPCL: '1.2.840.10008.1.2.4.202',
  HTJ2K: '1.2.840.10008.1.2.4.203',
  RLELossless: '1.2.840.10008.1.2.5',
  DeflatedImageFrameCompression: '1.2.840.10008.1.2.8.1',
} as const;

export interface TransferSyntaxInfo {
  uid: string;
  name: string;
  explicitVr: boolean;
  littleEndian: boolean;
  /** The data set after the file meta group is deflated (RFC 1951). */
  deflatedDataset: boolean;
  /** Pixel data is encapsulated (fragments), compressed or not. */
  encapsulated: boolean;
}

const table: Record<string, Omit<TransferSyntaxInfo, 'uid'>> = {
  [TS.ImplicitVRLittleEndian]: {
    name: 'Implicit VR Little Endian',
    explicitVr: false,
    littleEndian: true,
    deflatedDataset: false,
    encapsulated: false,
  },
  [TS.ExplicitVRLittleEndian]: {
    name: 'Explicit VR Little Endian',
    explicitVr: true,
    littleEndian: true,
    deflatedDataset: false,
    encapsulated: false,
  },
  [TS.EncapsulatedUncompressedExplicitVRLittleEndian]: {
    name: 'Encapsulated Uncompressed Explicit VR Little Endian',
    explicitVr: true,
    littleEndian: true,
    deflatedDataset: false,
    encapsulated: true,
  },
  [TS.DeflatedExplicitVRLittleEndian]: {
    name: 'Deflated Explicit VR Little Endian',
    explicitVr: true,
    littleEndian: true,
    deflatedDataset: true,
    encapsulated: false,
  },
  [TS.ExplicitVRBigEndian]: {
    name: 'Explicit VR Big Endian',
    explicitVr: true,
    littleEndian: false,
    deflatedDataset: false,
    encapsulated: false,
  },
  [TS.JPEGBaseline8Bit]: {
    name: 'JPEG Baseline (Process 1)',
    explicitVr: true,
    littleEndian: true,
    deflatedDataset: false,
    encapsulated: true,
  },
  [TS.JPEGExtended12Bit]: {
    name: 'JPEG Extended (Process 2 & 4)',
    explicitVr: true,
    littleEndian: true,
    deflatedDataset: false,
    encapsulated: true,
  },
  [TS.JPEGLossless]: {
    name: 'JPEG Lossless (Process 14)',
    explicitVr: true,
    littleEndian: true,
    deflatedDataset: false,
    encapsulated: true,
  },
  [TS.JPEGLosslessSV1]: {
    name: 'JPEG Lossless SV1 (Process 14, selection value 1)',
    explicitVr: true,
    littleEndian: true,
    deflatedDataset: false,
    encapsulated: true,
  },
  [TS.JPEGLSLossless]: {
    name: 'JPEG-LS Lossless',
    explicitVr: true,
    littleEndian: true,
    deflatedDataset: false,
    encapsulated: true,
  },
  [TS.JPEGLSNearLossless]: {
    name: 'JPEG-LS Near-Lossless',
    explicitVr: true,
    littleEndian: true,
    deflatedDataset: false,
    encapsulated: true,
  },
  [TS.JPEG2000Lossless]: {
    name: 'JPEG 2000 Lossless',
    explicitVr: true,
    littleEndian: true,
    deflatedDataset: false,
    encapsulated: true,
  },
  [TS.JPEG2000]: {
    name: 'JPEG 2000',
    explicitVr: true,
    littleEndian: true,
    deflatedDataset: false,
    encapsulated: true,
  },
  [TS.HTJ2KLossless]: {
    name: 'HTJ2K Lossless',
    explicitVr: true,
    littleEndian: true,
    deflatedDataset: false,
    encapsulated: true,
  },
  [TS.HTJ2KLosslessRPCL]: {
    name: 'HTJ2K Lossless RPCL',
    explicitVr: true,
    littleEndian: true,
    deflatedDataset: false,
    encapsulated: true,
  },
  [TS.HTJ2K]: { name: 'HTJ2K', explicitVr: true, littleEndian: true, deflatedDataset: false, encapsulated: true },
  [TS.RLELossless]: {
    name: 'RLE Lossless',
    explicitVr: true,
    littleEndian: true,
    deflatedDataset: false,
    encapsulated: true,
  },
  [TS.DeflatedImageFrameCompression]: {
    name: 'Deflated Image Frame Compression',
    explicitVr: true,
    littleEndian: true,
    deflatedDataset: false,
    encapsulated: true,
  },
};

/** Properties of a transfer syntax; undefined for one Concord does not know. */
export function transferSyntaxInfo(uid: string): TransferSyntaxInfo | undefined {
  const entry = table[uid];
  return entry ? { uid, ...entry } : undefined;
}
