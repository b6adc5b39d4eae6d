// The fake Ollama server: the one deliberate test double of the project.
export {
  type FakeMessage,
  type FakeTool,
  type FakeToolCall,
  fakeChatReply,
  fakeDigest,
  fakeEmbedding,
  fakeGenerateReply,
  fakeJsonReply,
  fakeReplyChunks,
  fakeThinking,
  fakeTokenCount,
  fakeToolCall,
  TOOL_TRIGGER,
} from './deterministic.js';
export { DEFAULT_FAKE_MODELS, normaliseModelName } from './models.js';
export { MISSING_MODEL_PREFIX } from './routes/pull.js';
export { DEFAULT_FAKE_VERSION, QUEUE_FULL_MESSAGE, startFakeOllama } from './server.js';
export type {
  FakeModel,
  FakeOllama,
  FakeOllamaOptions,
  FakeOllamaStats,
  Fault,
  FaultController,
  JournalEntry,
  RequestJournal,
} from './types.js';
