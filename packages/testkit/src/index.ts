// @intellicore/testkit — private test kit. One section per area.
export * from './build.js';
export * from './env.js';
export * from './fake-ollama/index.js';
export * from './gguf/index.js';
