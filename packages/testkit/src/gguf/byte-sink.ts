/** A growable little-endian byte buffer: GGUF is a flat sequence of LE scalars and strings. */
export class ByteSink {
  private buffer = new Uint8Array(1 << 16);
  private view = new DataView(this.buffer.buffer);
  private length = 0;
  private static readonly encoder = new TextEncoder();

  get size(): number {
    return this.length;
  }

  private reserve(bytes: number): number {
    const start = this.length;
    const needed = start + bytes;
    if (needed > this.buffer.length) {
      let capacity = this.buffer.length * 2;
      while (capacity < needed) capacity *= 2;
      const grown = new Uint8Array(capacity);
      grown.set(this.buffer.subarray(0, start));
      this.buffer = grown;
      this.view = new DataView(grown.buffer);
    }
    this.length = needed;
    return start;
  }

  u8(value: number): void {
    const at = this.reserve(1); // before reading this.view: reserve may replace it
    this.view.setUint8(at, value);
  }
  u32(value: number): void {
    const at = this.reserve(4); // before reading this.view: reserve may replace it
    this.view.setUint32(at, value, true);
  }
  i32(value: number): void {
    const at = this.reserve(4); // before reading this.view: reserve may replace it
    this.view.setInt32(at, value, true);
  }
  f32(value: number): void {
    const at = this.reserve(4); // before reading this.view: reserve may replace it
    this.view.setFloat32(at, value, true);
  }
  u64(value: number | bigint): void {
    const at = this.reserve(8); // before reading this.view: reserve may replace it
    this.view.setBigUint64(at, BigInt(value), true);
  }

  /** GGUF string: u64 byte length, then UTF-8 bytes, no terminator. */
  string(value: string): void {
    const bytes = ByteSink.encoder.encode(value);
    this.u64(bytes.length);
    this.bytes(bytes);
  }

  bytes(value: Uint8Array): void {
    const start = this.reserve(value.length); // may replace this.buffer: reserve first
    this.buffer.set(value, start);
  }

  /** Zero bytes up to the next multiple of `alignment` (fresh capacity is already zeroed). */
  pad(alignment: number): void {
    const rest = this.length % alignment;
    if (rest !== 0) this.reserve(alignment - rest);
  }

  toBytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}
