import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * The sliding-window steps of `sliding-window.ts` in Lua, so each decision is one atomic
 * EVALSHA on Valkey and the limit is global across replicas. Time comes from the server
 * (`TIME`), not from the replicas' clocks. A limit of -1 means unlimited.
 * Keys per bucket: KEYS[1] zset of admissions, KEYS[2] zset of token entries (score = time),
 * KEYS[3] hash of token amounts by entry id plus `total` and `seq`; all expire one window
 * after the last write.
 */

const PRELUDE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local cutoff = now - window

-- Entries that left the window go, and their tokens leave the total (in pages: unpack limit).
local function prune()
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', cutoff)
  local total = tonumber(redis.call('HGET', KEYS[3], 'total')) or 0
  while true do
    local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', cutoff, 'LIMIT', 0, 500)
    if #expired == 0 then break end
    local amounts = redis.call('HMGET', KEYS[3], unpack(expired))
    for i = 1, #expired do total = total - (tonumber(amounts[i]) or 0) end
    redis.call('HDEL', KEYS[3], unpack(expired))
    redis.call('ZREM', KEYS[2], unpack(expired))
  end
  if total < 0 then total = 0 end
  return total
end

local function persist(total)
  redis.call('HSET', KEYS[3], 'total', total)
  for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], window + 1000) end
end
`;

/**
 * ARGV: windowMs, rpm, tpm, tokens.
 * Returns {allowed(1|0), retryAfterMs, requestsRemaining, tokensRemaining, resetMs,
 *          limitedBy ('requests'|'tokens'|''), exceedsBudget(1|0), entryId}; -1 = unlimited.
 */
export const RESERVE_SCRIPT = `${PRELUDE}
local rpm = tonumber(ARGV[2])
local tpm = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local total = prune()
local count = redis.call('ZCARD', KEYS[1])
local retry = 0
local limitedBy = ''
local exceeds = 0
local function refuse(dimension, ms)
  if limitedBy == '' or ms > retry then limitedBy = dimension end
  if ms > retry then retry = ms end
end

if rpm >= 0 and count + 1 > rpm then
  local mustLeave = redis.call('ZRANGE', KEYS[1], count - rpm, count - rpm, 'WITHSCORES')
  refuse('requests', tonumber(mustLeave[2]) + window - now)
end
if tpm >= 0 and cost > tpm then
  exceeds = 1
  refuse('tokens', window)
elseif tpm >= 0 and total + cost > tpm then
  local need = total + cost - tpm
  local freed = 0
  local at = now
  local start = 0
  while freed < need do
    local page = redis.call('ZRANGE', KEYS[2], start, start + 99, 'WITHSCORES')
    if #page == 0 then break end
    local ids = {}
    for i = 1, #page, 2 do ids[#ids + 1] = page[i] end
    local amounts = redis.call('HMGET', KEYS[3], unpack(ids))
    for i = 1, #ids do
      freed = freed + (tonumber(amounts[i]) or 0)
      at = tonumber(page[2 * i])
      if freed >= need then break end
    end
    start = start + 100
  end
  refuse('tokens', at + window - now)
end

local id = ''
if limitedBy == '' then
  id = string.format('%.0f', now) .. ':' .. redis.call('HINCRBY', KEYS[3], 'seq', 1)
  if rpm >= 0 then
    redis.call('ZADD', KEYS[1], now, id)
    count = count + 1
  end
  if tpm >= 0 then
    redis.call('ZADD', KEYS[2], now, id)
    redis.call('HSET', KEYS[3], id, cost)
    total = total + cost
  end
end
persist(total)

local newest = -1
local lastR = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
local lastT = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
if #lastR > 0 then newest = math.max(newest, tonumber(lastR[2])) end
if #lastT > 0 then newest = math.max(newest, tonumber(lastT[2])) end
local reset = 0
if newest >= 0 then reset = math.max(0, newest + window - now) end
local requestsLeft = -1
if rpm >= 0 then requestsLeft = rpm - count end
local tokensLeft = -1
if tpm >= 0 then tokensLeft = math.max(0, tpm - total) end
return {limitedBy == '' and 1 or 0, retry, requestsLeft, tokensLeft, reset, limitedBy, exceeds, id}
`;

/** ARGV: windowMs, tpm, entryId, delta tokens (charge > 0, refund < 0). */
export const ADJUST_SCRIPT = `${PRELUDE}
local tpm = tonumber(ARGV[2])
local id = ARGV[3]
local delta = tonumber(ARGV[4])
if tpm < 0 or delta == 0 then return 0 end
local total = prune()
local current = tonumber(redis.call('HGET', KEYS[3], id))
if delta > 0 then
  redis.call('ZADD', KEYS[2], now, id)
  redis.call('HSET', KEYS[3], id, (current or 0) + delta)
  total = total + delta
elseif current then
  local refund = math.min(current, -delta)
  redis.call('HSET', KEYS[3], id, current - refund)
  total = total - refund
end
persist(total)
return 1
`;

export interface LuaScript {
  source: string;
  sha: string;
}

export function luaScript(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/** EVALSHA, loading the script with EVAL only when the server does not know it yet. */
export async function runScript(
  redis: Redis,
  script: LuaScript,
  keys: string[],
  args: (string | number)[],
): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
    return await redis.eval(script.source, keys.length, ...keys, ...args);
  }
}
