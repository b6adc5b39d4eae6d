import type { IncomingMessage, ServerResponse } from 'node:http';

/** An AbortSignal that fires when the client goes away before the response finished. */
export function requestSignal(req: IncomingMessage, res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) controller.abort();
  };
  res.once('close', onClose);
  req.once('aborted', onClose);
  return controller.signal;
}
