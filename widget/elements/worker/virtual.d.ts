// The training worker, built to a classic script by rollup.config.mjs and inlined as text.
declare module 'virtual:cher-hedger-worker' {
  const source: string;
  export default source;
}
