import type { ChatResult, ChatStreamEvent } from '@intellicore/llm-core';
import { toGatewayError } from '@intellicore/llm-core';
import { pumpStream, type StreamWire } from '../http/stream-pump.js';
import { noteResult, usageOf } from '../shape.js';
import type { FrontCall, FrontDeps } from './front.js';

/** A whole chat answer noted on the request record: usage, TTFT, the text with LOG_PROMPTS. */
export function noteChatAnswer(
  call: FrontCall,
  deps: FrontDeps,
  result: ChatResult,
  startedAt: number,
): void {
  noteResult(
    call.record,
    result,
    usageOf(result.metrics),
    result.ttftMs ?? performance.now() - startedAt,
  );
  if (deps.logPrompts) call.record.completion = result.message.content;
}

/**
 * Core's chat events as a door's frames (`convert` gives a frame, or nothing, per event); the
 * record learns TTFT at the first event and usage at the last, as they pass.
 */
export async function* chatFrames(
  call: FrontCall,
  deps: FrontDeps,
  events: AsyncIterable<ChatStreamEvent>,
  convert: (event: ChatStreamEvent) => string | undefined,
): AsyncGenerator<string> {
  const startedAt = performance.now();
  let text = '';
  for await (const event of events) {
    call.record.ttftMs ??= performance.now() - startedAt;
    if (deps.logPrompts) text += event.message.content;
    if (event.done) {
      noteResult(call.record, event, usageOf(event.metrics));
      if (deps.logPrompts) call.record.completion = text;
    }
    const frame = convert(event);
    if (frame) yield frame;
  }
}

/** A front's frames through the shared stream pump; a failure after the head is recorded. */
export function pumpFrames(
  call: FrontCall,
  deps: FrontDeps,
  frames: AsyncIterable<string>,
  wire: StreamWire,
): Promise<void> {
  call.record.stream = true;
  return pumpStream(call.res, frames, wire, {
    streams: deps.streams,
    pingMs: deps.pingMs,
    onFailure: (error) => {
      call.record.code = toGatewayError(error).code;
    },
  });
}
