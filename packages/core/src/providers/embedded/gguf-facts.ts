/**
 * What the gateway reports about a GGUF file, read from its header (metadata + tensor infos):
 * Ollama-shaped details (family, parameter size, quantization), context length, chat template
 * and the flattened metadata `show()` returns as `modelInfo`.
 */
import type { GgufFileInfo } from 'node-llama-cpp';
import type { ModelDetails } from '../../types.js';
import type { NodeLlamaCpp } from './engine.js';

export interface GgufFacts {
  architecture: string;
  details: ModelDetails;
  contextLength?: number;
  embeddingLength?: number;
  parameterCount: number;
  chatTemplate?: string;
  /** Dotted metadata keys; long arrays (the vocabulary) are null, as in Ollama's `model_info`. */
  modelInfo: Record<string, unknown>;
}

const LONG_ARRAY = 64;

function flatten(value: unknown, prefix: string, out: Record<string, unknown>): void {
  if (Array.isArray(value)) {
    out[prefix] = value.length > LONG_ARRAY ? null : value.map(jsonSafe);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      flatten(inner, prefix ? `${prefix}.${key}` : key, out);
    }
  } else {
    out[prefix] = jsonSafe(value);
  }
}

function jsonSafe(value: unknown): unknown {
  if (typeof value !== 'bigint') return value;
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}

/** Ollama's style: "8.0B", "137M", "125.4K". */
export function formatParameterCount(count: number): string {
  if (count >= 1e9) return `${(count / 1e9).toFixed(1)}B`;
  if (count >= 1e6) return `${(count / 1e6).toFixed(count >= 1e7 ? 0 : 1)}M`;
  if (count >= 1e3) return `${(count / 1e3).toFixed(1)}K`;
  return String(count);
}

function quantizationName(module: NodeLlamaCpp, fileType: unknown): string | undefined {
  if (typeof fileType !== 'number') return undefined;
  const name = module.GgufFileType[fileType];
  return name?.replace(/^(ALL|MOSTLY)_/, '');
}

export function ggufFacts(module: NodeLlamaCpp, info: GgufFileInfo): GgufFacts {
  const modelInfo: Record<string, unknown> = {};
  flatten(info.metadata, '', modelInfo);
  const general = (info.metadata.general ?? {}) as Record<string, unknown>;
  const architecture = String(general.architecture ?? 'unknown');
  const number = (key: string) => {
    const value = modelInfo[`${architecture}.${key}`];
    return typeof value === 'number' ? value : undefined;
  };
  const parameterCount = (info.tensorInfo ?? []).reduce(
    (sum, tensor) => sum + tensor.dimensions.reduce<number>((n, d) => n * Number(d), 1),
    0,
  );
  const sizeLabel = typeof general.size_label === 'string' ? general.size_label : undefined;
  const quantization = quantizationName(module, general.file_type);
  const template = modelInfo['tokenizer.chat_template'];

  const details: ModelDetails = {
    format: 'gguf',
    family: architecture,
    families: [architecture],
    parameterSize: parameterCount > 0 ? formatParameterCount(parameterCount) : sizeLabel,
  };
  if (quantization) details.quantizationLevel = quantization;
  const facts: GgufFacts = { architecture, details, parameterCount, modelInfo };
  const contextLength = number('context_length');
  if (contextLength !== undefined) facts.contextLength = contextLength;
  const embeddingLength = number('embedding_length');
  if (embeddingLength !== undefined) facts.embeddingLength = embeddingLength;
  if (typeof template === 'string') facts.chatTemplate = template;
  return facts;
}
