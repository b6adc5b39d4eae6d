/**
 * Downloads a GGUF file into MODELS_DIR: streamed to a hidden temp file while hashing, checked
 * (GGUF magic, sha256 when the ref carries one), then renamed into place, so the model list
 * never shows a half-written file. Progress follows Ollama's shape (status/total/completed).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { GatewayError } from '../../errors.js';
import type { PullProgress } from '../../types.js';
import type { PullRef } from './pull-ref.js';
import { cancelled } from './slot-pool.js';

const PROGRESS_INTERVAL_MS = 250;

function downloadError(error: unknown, signal: AbortSignal | undefined, url: string): GatewayError {
  if (error instanceof GatewayError) return error;
  if (signal?.aborted) return cancelled();
  return new GatewayError('UPSTREAM_UNAVAILABLE', `Download of ${url} failed`, {
    upstream: 'embedded',
    cause: error,
  });
}

function progress(
  status: string,
  digest: string | undefined,
  total: number | undefined,
  completed: number,
): PullProgress {
  const event: PullProgress = { status, completed };
  if (digest) event.digest = digest;
  if (total !== undefined) {
    event.total = total;
    event.percent = total > 0 ? Math.min(100, Math.floor((completed / total) * 100)) : 100;
  }
  return event;
}

export async function* downloadModel(
  ref: PullRef,
  modelsDir: string,
  signal: AbortSignal | undefined,
): AsyncGenerator<PullProgress> {
  const digest = ref.sha256 ? `sha256:${ref.sha256}` : undefined;
  yield { status: 'pulling manifest' };
  let response: Response;
  try {
    response = await fetch(ref.url, { signal: signal ?? null, redirect: 'follow' });
  } catch (error) {
    throw downloadError(error, signal, ref.url);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw new GatewayError(
      response.status === 404 ? 'MODEL_NOT_FOUND' : 'UPSTREAM_ERROR',
      `Download of ${ref.url} answered HTTP ${response.status}`,
      { upstream: 'embedded', details: { status: response.status } },
    );
  }
  const lengthHeader = Number(response.headers.get('content-length'));
  const total = Number.isFinite(lengthHeader) && lengthHeader > 0 ? lengthHeader : undefined;

  await mkdir(modelsDir, { recursive: true });
  const finalPath = join(modelsDir, ref.fileName);
  const tempPath = join(modelsDir, `.${ref.fileName}.${randomBytes(6).toString('hex')}.partial`);
  const file = await open(tempPath, 'w');
  let renamed = false;
  try {
    const hash = createHash('sha256');
    let completed = 0;
    let magic = '';
    let lastEvent = 0;
    let lastPercent = -1;
    yield progress('downloading', digest, total, 0);
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        if (magic.length < 4)
          magic += Buffer.from(chunk.subarray(0, 4 - magic.length)).toString('latin1');
        hash.update(chunk);
        await file.write(chunk);
        completed += chunk.byteLength;
        const percent = total ? Math.floor((completed / total) * 100) : -1;
        const now = Date.now();
        if (percent !== lastPercent || now - lastEvent >= PROGRESS_INTERVAL_MS) {
          lastPercent = percent;
          lastEvent = now;
          yield progress('downloading', digest, total, completed);
        }
      }
    } catch (error) {
      throw downloadError(error, signal, ref.url);
    }
    if (total !== undefined && completed !== total) {
      throw new GatewayError('UPSTREAM_ERROR', `Download of ${ref.url} ended early`, {
        upstream: 'embedded',
        details: { expectedBytes: total, receivedBytes: completed },
      });
    }
    if (magic !== 'GGUF') {
      throw new GatewayError('UPSTREAM_ERROR', `${ref.url} is not a GGUF file`, {
        upstream: 'embedded',
      });
    }
    yield progress('verifying sha256 digest', digest, total, completed);
    const actual = hash.digest('hex');
    if (ref.sha256 && actual !== ref.sha256) {
      throw new GatewayError('UPSTREAM_ERROR', `sha256 mismatch for ${ref.url}`, {
        upstream: 'embedded',
        details: { expected: ref.sha256, actual },
      });
    }
    await file.sync();
    await file.close();
    yield { status: 'writing model', digest: `sha256:${actual}` };
    await rename(tempPath, finalPath);
    renamed = true;
    yield { status: 'success', digest: `sha256:${actual}` };
  } finally {
    await file.close().catch(() => undefined);
    if (!renamed) await rm(tempPath, { force: true });
  }
}
