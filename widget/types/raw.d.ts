// Text imports (WGSL shaders) resolved by Vite in tests and by rollup's raw-text plugin in builds.
declare module '*?raw' {
  const text: string;
  export default text;
}
