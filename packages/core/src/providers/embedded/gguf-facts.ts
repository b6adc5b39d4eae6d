/**
 * What the gateway reports about a GGUF file, read from its header (metadata + tensor infos):
 * Ollama-shaped details (family, parameter size, quantization), context length, chat template
 * and the flattened metadata `show()` returns as `modelInfo`.
 */
import type { ModelDetails } from '../../types.js';
import { fileTypeName, type GgufHeader } from './gguf-header.js';

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

/** Ollama's style: "8.0B", "137M", "125.4K". */
export function formatParameterCount(count: number): string {
  if (count >= 1e9) return `${(count / 1e9).toFixed(1)}B`;
  if (count >= 1e6) return `${(count / 1e6).toFixed(count >= 1e7 ? 0 : 1)}M`;
  if (count >= 1e3) return `${(count / 1e3).toFixed(1)}K`;
  return String(count);
}

export function ggufFacts(header: GgufHeader): GgufFacts {
  const modelInfo = header.metadata;
  const architecture = String(modelInfo['general.architecture'] ?? 'unknown');
  const number = (key: string) => {
    const value = modelInfo[`${architecture}.${key}`];
    return typeof value === 'number' ? value : undefined;
  };
  const parameterCount = header.tensorDimensions.reduce(
    (sum, dimensions) => sum + dimensions.reduce((n, d) => n * d, 1),
    0,
  );
  const sizeLabel = modelInfo['general.size_label'];
  const quantization = fileTypeName(modelInfo['general.file_type']);
  const template = modelInfo['tokenizer.chat_template'];

  const details: ModelDetails = {
    format: 'gguf',
    family: architecture,
    families: [architecture],
    parameterSize:
      parameterCount > 0
        ? formatParameterCount(parameterCount)
        : typeof sizeLabel === 'string'
          ? sizeLabel
          : undefined,
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
