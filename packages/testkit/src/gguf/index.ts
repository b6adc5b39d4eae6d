export { DEMO_MODEL_NAME, ensureDemoModel } from './demo-model.js';
export { type GgufDocument, type GgufTensor, type GgufValue, encodeGguf } from './gguf-writer.js';
export { DEFAULT_CHAT_TEMPLATE, type TinyGgufOptions, buildTinyGguf, writeTinyGguf } from './tiny-model.js';
