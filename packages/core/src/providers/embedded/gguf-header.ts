/**
 * Reads a GGUF file's header — metadata key/values and tensor shapes — without loading
 * node-llama-cpp: listing the embedded engine's models (every health check, `/api/tags`) must
 * not cost the engine's ~20 MB of memory before anything is generated. Format: the GGUF spec
 * (github.com/ggml-org/ggml/blob/master/docs/gguf.md), little-endian, versions 2 and 3.
 */
import { open } from 'node:fs/promises';

export interface GgufHeader {
  version: number;
  /** Metadata by dotted key (`general.architecture`); arrays longer than `maxArray` are null. */
  metadata: Record<string, unknown>;
  /** Each tensor's dimensions (their product is its parameter count). */
  tensorDimensions: number[][];
}

/** Arrays longer than this (vocabularies, merges) are skipped, as Ollama's `model_info` does. */
const MAX_ARRAY = 64;

enum ValueType {
  UINT8 = 0,
  INT8 = 1,
  UINT16 = 2,
  INT16 = 3,
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
  UINT64 = 10,
  INT64 = 11,
  FLOAT64 = 12,
}

/** Thrown by the cursor when the bytes read so far end before the header does. */
class NeedMore extends Error {}

class Cursor {
  offset = 0;
  constructor(private readonly buffer: Buffer) {}

  private take(bytes: number): number {
    const at = this.offset;
    if (at + bytes > this.buffer.length) throw new NeedMore();
    this.offset = at + bytes;
    return at;
  }

  u32 = () => this.buffer.readUInt32LE(this.take(4));
  /** A count or length: must be an exact number. */
  u64(): number {
    const value = this.buffer.readBigUInt64LE(this.take(8));
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('corrupt GGUF header (length)');
    return Number(value);
  }
  skip = (bytes: number) => void this.take(bytes);

  string(): string {
    const length = this.u64();
    const at = this.take(length);
    return this.buffer.toString('utf8', at, at + length);
  }

  scalar(type: ValueType): unknown {
    const b = this.buffer;
    switch (type) {
      case ValueType.UINT8:
        return b.readUInt8(this.take(1));
      case ValueType.INT8:
        return b.readInt8(this.take(1));
      case ValueType.UINT16:
        return b.readUInt16LE(this.take(2));
      case ValueType.INT16:
        return b.readInt16LE(this.take(2));
      case ValueType.UINT32:
        return b.readUInt32LE(this.take(4));
      case ValueType.INT32:
        return b.readInt32LE(this.take(4));
      case ValueType.FLOAT32:
        return b.readFloatLE(this.take(4));
      case ValueType.BOOL:
        return b.readUInt8(this.take(1)) !== 0;
      case ValueType.STRING:
        return this.string();
      case ValueType.UINT64:
        return safeNumber(b.readBigUInt64LE(this.take(8)));
      case ValueType.INT64:
        return safeNumber(b.readBigInt64LE(this.take(8)));
      case ValueType.FLOAT64:
        return b.readDoubleLE(this.take(8));
      default:
        throw new Error(`unknown GGUF value type ${type}`);
    }
  }

  value(type: ValueType): unknown {
    if (type !== ValueType.ARRAY) return this.scalar(type);
    const itemType = this.u32() as ValueType;
    const count = this.u64();
    if (count > MAX_ARRAY) {
      for (let i = 0; i < count; i++) this.value(itemType);
      return null;
    }
    return Array.from({ length: count }, () => this.value(itemType));
  }
}

/** 64-bit integers as numbers when exact, else their decimal text (as JSON can carry them). */
function safeNumber(value: bigint): number | string {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    return value.toString();
  }
  return Number(value);
}

function parse(buffer: Buffer): GgufHeader {
  const cursor = new Cursor(buffer);
  if (buffer.length >= 4 && buffer.toString('latin1', 0, 4) !== 'GGUF') {
    throw new Error('not a GGUF file (bad magic)');
  }
  cursor.skip(4);
  const version = cursor.u32();
  if (version < 2 || version > 3) throw new Error(`unsupported GGUF version ${version}`);
  const tensorCount = cursor.u64();
  const kvCount = cursor.u64();
  const metadata: Record<string, unknown> = {};
  for (let i = 0; i < kvCount; i++) {
    const key = cursor.string();
    metadata[key] = cursor.value(cursor.u32() as ValueType);
  }
  const tensorDimensions: number[][] = [];
  for (let i = 0; i < tensorCount; i++) {
    cursor.string(); // name
    const dims = cursor.u32();
    tensorDimensions.push(Array.from({ length: dims }, () => cursor.u64()));
    cursor.skip(4 + 8); // type, data offset
  }
  return { version, metadata, tensorDimensions };
}

/**
 * The header of the GGUF file at `path`. Reads the first MiB and more only when the header is
 * longer (large vocabularies take several MiB); never the weights.
 */
export async function readGgufHeader(path: string): Promise<GgufHeader> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    for (let want = Math.min(size, 1 << 20); ; want = Math.min(size, want * 4)) {
      const buffer = Buffer.allocUnsafe(want);
      const { bytesRead } = await file.read(buffer, 0, want, 0);
      try {
        return parse(buffer.subarray(0, bytesRead));
      } catch (error) {
        if (!(error instanceof NeedMore)) throw error;
        if (want >= size) throw new Error('the GGUF header ends past the end of the file');
      }
    }
  } finally {
    await file.close();
  }
}

/** llama.cpp's file types (`general.file_type`) by number, as node-llama-cpp names them. */
const FILE_TYPES = [
  'ALL_F32',
  'MOSTLY_F16',
  'MOSTLY_Q4_0',
  'MOSTLY_Q4_1',
  'MOSTLY_Q4_1_SOME_F16',
  'MOSTLY_Q4_2',
  'MOSTLY_Q4_3',
  'MOSTLY_Q8_0',
  'MOSTLY_Q5_0',
  'MOSTLY_Q5_1',
  'MOSTLY_Q2_K',
  'MOSTLY_Q3_K_S',
  'MOSTLY_Q3_K_M',
  'MOSTLY_Q3_K_L',
  'MOSTLY_Q4_K_S',
  'MOSTLY_Q4_K_M',
  'MOSTLY_Q5_K_S',
  'MOSTLY_Q5_K_M',
  'MOSTLY_Q6_K',
  'MOSTLY_IQ2_XXS',
  'MOSTLY_IQ2_XS',
  'MOSTLY_Q2_K_S',
  'MOSTLY_IQ3_XS',
  'MOSTLY_IQ3_XXS',
  'MOSTLY_IQ1_S',
  'MOSTLY_IQ4_NL',
  'MOSTLY_IQ3_S',
  'MOSTLY_IQ3_M',
  'MOSTLY_IQ2_S',
  'MOSTLY_IQ2_M',
  'MOSTLY_IQ4_XS',
  'MOSTLY_IQ1_M',
  'MOSTLY_BF16',
  'MOSTLY_Q4_0_4_4',
  'MOSTLY_Q4_0_4_8',
  'MOSTLY_Q4_0_8_8',
  'MOSTLY_TQ1_0',
  'MOSTLY_TQ2_0',
  'MOSTLY_MXFP4_MOE',
  'MOSTLY_NVFP4',
  'MOSTLY_Q1_0',
  'MOSTLY_Q2_0',
];

/** `Q4_K_M`, `F16`, … for a `general.file_type` number (Ollama's quantization names). */
export function fileTypeName(fileType: unknown): string | undefined {
  if (typeof fileType !== 'number') return undefined;
  return FILE_TYPES[fileType]?.replace(/^(ALL|MOSTLY)_/, '');
}
