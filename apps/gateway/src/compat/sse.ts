/** One named Server-Sent Event (`event:` + `data:`), the framing of Anthropic's and the
 * Responses API's streams (their SDKs dispatch on the event name; Anthropic's skips unnamed). */
export function sseEvent(type: string, data: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}
