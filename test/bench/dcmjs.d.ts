// dcmjs ships no types; the benchmark uses these calls.
declare module 'dcmjs' {
  const dcmjs: {
    data: { DicomMessage: { readFile(buffer: ArrayBuffer): unknown } };
    log: { setLevel(level: 'error' | 'warn' | 'info'): void };
  };
  export default dcmjs;
}
