import { useEffect, useState } from 'react';

/**
 * Whether the gateway wants an API key (`/healthz` says so without one): the pages call nothing
 * else before a key is entered, so no request is sent only to be refused. Undefined while asking.
 */
export function useAuthRequired(): boolean | undefined {
  const [required, setRequired] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    let live = true;
    fetch('/healthz')
      .then((r) => r.json() as Promise<{ authRequired?: unknown }>)
      .then((body) => live && setRequired(body.authRequired === true))
      // An old gateway, or none: let the pages try and show what they get.
      .catch(() => live && setRequired(false));
    return () => {
      live = false;
    };
  }, []);
  return required;
}
