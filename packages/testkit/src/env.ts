/**
 * Access to the real servers that some suites need. In CI (CI=true) a missing or unreachable
 * server fails the suite; elsewhere the suite skips with one line saying how to enable it.
 */
const isCI = process.env.CI === 'true' || process.env.CI === '1';

export interface ServiceUrl {
  url: string | undefined;
  /** Why it is skipped, or undefined when it runs. */
  skipReason: string | undefined;
}

function serviceUrl(variable: 'DATABASE_URL' | 'VALKEY_URL', example: string): ServiceUrl {
  const url = process.env[variable];
  if (url) return { url, skipReason: undefined };
  if (isCI) {
    throw new Error(
      `${variable} is not set: in CI the suites that need it must run (set ${variable}=${example})`,
    );
  }
  const reason = `skipped: set ${variable}=${example} to run the suites that need a real server`;
  return { url: undefined, skipReason: reason };
}

/** A PostgreSQL URL for tests (from DATABASE_URL when it starts with postgres). */
export function postgresForTests(): ServiceUrl {
  const fromEnv = serviceUrl('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/test');
  if (fromEnv.url && !/^postgres(ql)?:\/\//.test(fromEnv.url)) {
    if (isCI) throw new Error('DATABASE_URL must be a postgres:// URL in CI');
    return { url: undefined, skipReason: 'skipped: DATABASE_URL is not a postgres:// URL' };
  }
  return announce(fromEnv);
}

/** A Redis/Valkey URL for tests (from VALKEY_URL). */
export function valkeyForTests(): ServiceUrl {
  return announce(serviceUrl('VALKEY_URL', 'redis://127.0.0.1:6379'));
}

const announced = new Set<string>();
function announce(s: ServiceUrl): ServiceUrl {
  if (s.skipReason && !announced.has(s.skipReason)) {
    announced.add(s.skipReason);
    console.warn(s.skipReason);
  }
  return s;
}
