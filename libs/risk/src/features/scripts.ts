/**
 * Lua run inside Redis: all features of one event are read in one round trip (no per-rule I/O),
 * and one event's entries are written atomically.
 */

/**
 * KEYS[1] = the epoch key. Other key names are built here from ARGV[8] (the base) and each
 * operation's suffix: declaring ~40 keys per call cost more than the reads themselves. All keys
 * share the base, so a Redis Cluster deployment puts a {hash tag} in the key prefix.
 *
 * ARGV[1..7] = t (event time ms), now ms, ref, max members scanned per key, distinct window ms,
 *              coins of the evaluated event, window lengths in ms (comma separated, ascending).
 * ARGV[9]    = the operations: records separated by \30, fields by \31: code, key suffix, a1 .. a4.
 *   S / s  scan a velocity key: counts and coin sums per window, and the number of distinct `a` and
 *          `b` values over the distinct window. `S` counts the evaluated event (ref, coins, a1, a2)
 *          as if present, `s` leaves it out. Members carrying the evaluated ref are skipped, so an
 *          event already mirrored is never counted twice.
 *   U / u  the same on a user's recharge key, whose members also carry method and BIN country:
 *          also counts and sums the members of method a3 and of BIN country a4.
 *   X      prior fraud within a1 ms: counts of chargeback, refund_fraud, account_takeover
 *   L      list lookup: a1 = members separated by \29; replies 1/0 each (listed with an expiry after now)
 *   F      the first-recharge time, or -1
 *   M      1 when the marker exists or the epoch does (no rebuild needed)
 *   T      the string value of the key, or ''
 */
export const READ_FEATURES = `
local t = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local ref = ARGV[3]
local maxScan = tonumber(ARGV[4])
local distinctMs = tonumber(ARGV[5])
local currentCoins = tonumber(ARGV[6])
local base = ARGV[8] .. ':'
local windows = {}
for w in string.gmatch(ARGV[7], '[^,]+') do windows[#windows + 1] = tonumber(w) end
local nw = #windows
local tmax = string.format('%.0f', t)
local oldestKept = '(' .. string.format('%.0f', t - windows[nw])
local refLength = #ref

local PLAIN = '^[^|]*|([^|]*)|([^|]*)|(.*)$'
local USER = '^[^|]*|([^|]*)|([^|]*)|([^|]*)|([^|]*)|(.*)$'

local function zeros()
  local z = {}
  for i = 1, nw do z[i] = 0 end
  return z
end

-- Cumulative counts and sums per window from per-bucket ones (bucket i = events whose smallest window is i).
local function cumulate(res, offset, counts, sums, startCount, startSum)
  local c, s = startCount, startSum
  for i = 1, nw do
    c = c + counts[i]; s = s + sums[i]
    res[offset + i] = c; res[offset + nw + i] = s
  end
end

-- Scans one velocity key. On a user key (withSubs), also counts the members whose method equals
-- sub1 and whose BIN country equals sub2: the per-user method and BIN-country windows come from the
-- same pass instead of keys of their own.
local function scan(key, include, a1, a2, withSubs, sub1, sub2)
  local rows = redis.call('ZREVRANGEBYSCORE', key, tmax, oldestKept, 'WITHSCORES', 'LIMIT', 0, maxScan)
  -- Members come newest first, so each one's smallest window only grows: one pointer, no inner loop.
  local counts, sums = zeros(), zeros()
  local c1, s1, c2, s2
  if withSubs then c1, s1, c2, s2 = zeros(), zeros(), zeros(), zeros() end
  local seenA, seenB, nA, nB = {}, {}, 0, 0
  if include and a1 ~= '' then seenA[a1] = true; nA = 1 end
  if include and a2 ~= '' then seenB[a2] = true; nB = 1 end
  local selfSeen = false
  local w = 1
  for r = 1, #rows, 2 do
    local m = rows[r]
    if string.byte(m, refLength + 1) == 124 and string.sub(m, 1, refLength) == ref then
      selfSeen = true
    else
      local coins, a, b, f1, f2
      if withSubs then coins, a, b, f1, f2 = string.match(m, USER) else coins, a, b = string.match(m, PLAIN) end
      coins = tonumber(coins)
      local age = t - tonumber(rows[r + 1])
      while w <= nw and age >= windows[w] do w = w + 1 end
      if w <= nw then
        counts[w] = counts[w] + 1
        sums[w] = sums[w] + coins
        if withSubs then
          if sub1 ~= '' and f1 == sub1 then c1[w] = c1[w] + 1; s1[w] = s1[w] + coins end
          if sub2 ~= '' and f2 == sub2 then c2[w] = c2[w] + 1; s2[w] = s2[w] + coins end
        end
        if age < distinctMs then
          if a ~= '' and not seenA[a] then seenA[a] = true; nA = nA + 1 end
          if b ~= '' and not seenB[b] then seenB[b] = true; nB = nB + 1 end
        end
      end
    end
  end
  local res = {}
  cumulate(res, 0, counts, sums, include and 1 or 0, include and currentCoins or 0)
  local truncated = 0
  if #rows / 2 >= maxScan then
    -- The scan stopped early: windows reaching past it take their count from ZCOUNT (exact);
    -- their sums and the distinct counts are lower bounds, reported as saturated.
    truncated = 1
    local oldest = tonumber(rows[#rows])
    for i = 1, nw do
      if t - windows[i] < oldest then
        local n = redis.call('ZCOUNT', key, '(' .. string.format('%.0f', t - windows[i]), tmax)
        if selfSeen then n = n - 1 end
        res[i] = n + (include and 1 or 0)
      end
    end
  end
  res[2 * nw + 1] = nA
  res[2 * nw + 2] = nB
  res[2 * nw + 3] = truncated
  if withSubs then
    local in1 = include and sub1 ~= ''
    local in2 = include and sub2 ~= ''
    cumulate(res, 2 * nw + 3, c1, s1, in1 and 1 or 0, in1 and currentCoins or 0)
    cumulate(res, 4 * nw + 3, c2, s2, in2 and 1 or 0, in2 and currentCoins or 0)
  end
  return res
end

local out = {}
local epoch = redis.call('EXISTS', KEYS[1])
out[1] = epoch
for code, suffix, a1, a2, a3, a4 in string.gmatch(ARGV[9], '([^\\31\\30]*)\\31([^\\31\\30]*)\\31([^\\31\\30]*)\\31([^\\31\\30]*)\\31([^\\31\\30]*)\\31([^\\31\\30]*)\\30') do
  local key = base .. suffix
  local answer
  if code == 'S' or code == 's' then
    answer = scan(key, code == 'S', a1, a2, false)
  elseif code == 'U' or code == 'u' then
    answer = scan(key, code == 'U', a1, a2, true, a3, a4)
  elseif code == 'X' then
    local rows = redis.call('ZREVRANGEBYSCORE', key, tmax, '(' .. string.format('%.0f', t - tonumber(a1)), 'LIMIT', 0, maxScan)
    local cb, rf, ato = 0, 0, 0
    for _, m in ipairs(rows) do
      local kind = string.match(m, '^[^|]*|[^|]*|([^|]*)|')
      if kind == 'chargeback' then cb = cb + 1 elseif kind == 'refund_fraud' then rf = rf + 1 elseif kind == 'account_takeover' then ato = ato + 1 end
    end
    answer = { cb, rf, ato }
  elseif code == 'L' then
    local members = {}
    for m in string.gmatch(a1, '[^\\29]+') do members[#members + 1] = m end
    local scores = redis.call('ZMSCORE', key, unpack(members))
    answer = {}
    for i = 1, #members do
      if scores[i] and tonumber(scores[i]) > now then answer[i] = 1 else answer[i] = 0 end
    end
  elseif code == 'F' then
    local first = redis.call('ZSCORE', key, 'f')
    if first then answer = tonumber(first) else answer = -1 end
  elseif code == 'M' then
    if epoch == 1 then answer = 1 else answer = redis.call('EXISTS', key) end
  elseif code == 'T' then
    answer = redis.call('GET', key) or ''
  else
    return redis.error_reply('unknown risk feature op ' .. tostring(code))
  end
  out[#out + 1] = answer
end
return out
`;

/**
 * Adds one or more entries. ARGV[1] = now ms, ARGV[2] = most members a key keeps; then per KEYS[i]
 * three slots: member ('' for the first-recharge key), score ms, retention ms. Each key is trimmed to
 * its retention and its cap, and expires when its newest member leaves the retention period.
 */
export const WRITE_ENTRIES = `
local now = tonumber(ARGV[1])
local cap = tonumber(ARGV[2])
local function fmt(x) return string.format('%.0f', x) end
local added = 0
for i = 1, #KEYS do
  local slot = 3 + (i - 1) * 3
  local member, score, retention = ARGV[slot], tonumber(ARGV[slot + 1]), tonumber(ARGV[slot + 2])
  local key = KEYS[i]
  if member == '' then
    redis.call('ZADD', key, 'LT', fmt(score), 'f')
  elseif score > now - retention then
    added = added + redis.call('ZADD', key, fmt(score), member)
    redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. fmt(now - retention))
    redis.call('ZREMRANGEBYRANK', key, 0, -(cap + 1))
    local expireAt = score + retention
    local ttl = redis.call('PTTL', key)
    if ttl < 0 or now + ttl < expireAt then redis.call('PEXPIREAT', key, fmt(expireAt)) end
  end
end
return added
`;

/** Sets the epoch only when the rebuild that asks still holds the token (no flush happened meanwhile). */
export const FINISH_REBUILD = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[2])
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`;
