import { ByteSink } from './byte-sink.js';

/** GGUF metadata value types (gguf_type in ggml's gguf.h). */
const VALUE_TYPE = {
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
  uint64: 10,
} as const;

/** ggml tensor type ids; only F32 is written here (no quantization code needed). */
const GGML_TYPE_F32 = 0;

export type GgufScalar =
  | { type: 'uint32'; value: number }
  | { type: 'int32'; value: number }
  | { type: 'float32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'uint64'; value: number }
  | { type: 'string'; value: string };

export type GgufArray =
  | { type: 'array'; itemType: 'string'; value: readonly string[] }
  | { type: 'array'; itemType: 'float32'; value: readonly number[] }
  | { type: 'array'; itemType: 'int32'; value: readonly number[] };

export type GgufValue = GgufScalar | GgufArray;

export interface GgufTensor {
  name: string;
  /** Dimensions innermost first (ggml's ne[0], ne[1], …). */
  dims: readonly number[];
  data: Float32Array;
}

export interface GgufDocument {
  metadata: ReadonlyArray<readonly [key: string, value: GgufValue]>;
  tensors: readonly GgufTensor[];
  /** Must match the `general.alignment` metadata value when one is given; GGUF's default is 32. */
  alignment: number;
}

function writeScalar(sink: ByteSink, value: GgufScalar): void {
  switch (value.type) {
    case 'uint32':
      sink.u32(value.value);
      break;
    case 'int32':
      sink.i32(value.value);
      break;
    case 'float32':
      sink.f32(value.value);
      break;
    case 'bool':
      sink.u8(value.value ? 1 : 0);
      break;
    case 'uint64':
      sink.u64(value.value);
      break;
    case 'string':
      sink.string(value.value);
      break;
  }
}

function writeValue(sink: ByteSink, value: GgufValue): void {
  sink.u32(VALUE_TYPE[value.type]);
  if (value.type !== 'array') {
    writeScalar(sink, value);
    return;
  }
  sink.u32(VALUE_TYPE[value.itemType]);
  sink.u64(value.value.length);
  for (const item of value.value) {
    if (value.itemType === 'string') sink.string(item as string);
    else if (value.itemType === 'float32') sink.f32(item as number);
    else sink.i32(item as number);
  }
}

/**
 * Serialises a GGUF v3 file: header, metadata, tensor infos, padding, then the tensor data
 * with each tensor starting on an `alignment` boundary relative to the data section.
 */
export function encodeGguf(doc: GgufDocument): Uint8Array {
  const sink = new ByteSink();
  sink.bytes(new TextEncoder().encode('GGUF'));
  sink.u32(3);
  sink.u64(doc.tensors.length);
  sink.u64(doc.metadata.length);
  for (const [key, value] of doc.metadata) {
    sink.string(key);
    writeValue(sink, value);
  }

  let offset = 0;
  for (const tensor of doc.tensors) {
    const elements = tensor.dims.reduce((a, b) => a * b, 1);
    if (elements !== tensor.data.length) {
      throw new Error(
        `tensor ${tensor.name}: dims hold ${elements} values, data has ${tensor.data.length}`,
      );
    }
    sink.string(tensor.name);
    sink.u32(tensor.dims.length);
    for (const dim of tensor.dims) sink.u64(dim);
    sink.u32(GGML_TYPE_F32);
    sink.u64(offset);
    offset += Math.ceil(tensor.data.byteLength / doc.alignment) * doc.alignment;
  }

  sink.pad(doc.alignment);
  for (const tensor of doc.tensors) {
    // Float32Array is host-endian; every platform node-llama-cpp ships for is little-endian.
    sink.bytes(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    sink.pad(doc.alignment);
  }
  return sink.toBytes();
}
