// dcmjs ships no types; the benchmark uses these calls.
declare module 'dcmjs' {
  const dcmjs: {
    data: { DicomMessage: { readFile(buffer: ArrayBuffer): unknown } };
  };
  export default dcmjs;
}
