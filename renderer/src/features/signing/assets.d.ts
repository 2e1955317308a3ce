// Vite's `?url` imports: the file is emitted as an asset of our own origin and its URL is the
// default export (renderer CSP: `script-src 'self'`, so the pdf.js worker must come from us).
declare module '*?url' {
  const url: string;
  export default url;
}
