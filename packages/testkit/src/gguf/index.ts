export { DEMO_MODEL_NAME, ensureDemoModel } from './demo-model.js';
export { encodeGguf, type GgufDocument, type GgufTensor, type GgufValue } from './gguf-writer.js';
export {
  buildTinyGguf,
  DEFAULT_CHAT_TEMPLATE,
  type TinyGgufOptions,
  writeTinyGguf,
} from './tiny-model.js';
