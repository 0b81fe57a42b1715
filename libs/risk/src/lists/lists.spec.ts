import { Conflict, ValidationFailed } from '@coinops/contracts';
import { openRiskFixture, ordinaryUser, recharge, RiskFixture, ruleKeys, uid } from '../testing/risk-fixture';

describe('block and allow lists', () => {
  let fx: RiskFixture;
  const mismatch = { binCountry: 'NG', ipCountry: 'RU' } as const; // reviewed by country_mismatch

  beforeAll(async () => {
    fx = await openRiskFixture('lists');
    await fx.engine.seedDefaultRules();
  });
  afterAll(async () => {
    await fx.close();
  });

  const decide = (event: ReturnType<typeof recharge>, subject = ordinaryUser(), now?: Date) => fx.engine.evaluate(event, subject, { record: false, now });

  it('turns review into allow with an allow entry, keeping the reasons', async () => {
    const user = uid('allowed');
    expect((await decide(recharge(user, new Date(), mismatch))).decision).toBe('review');
    await fx.engine.addListEntry({ list: 'allow', kind: 'user', value: user, reason: 'verified by phone', author: 'op-7' });
    const decision = await decide(recharge(user, new Date(), mismatch));
    expect(decision.decision).toBe('allow');
    expect(ruleKeys(decision)).toEqual(['country_mismatch']);
    expect(decision.allowedBy).toEqual({ lists: [{ list: 'allow', kind: 'user', value: user }], ruleKeys: [] });
  });

  it('never lets an allow entry override a block-list hit or a blocking rule', async () => {
    const user = uid('both');
    const event = recharge(user, new Date(), mismatch);
    await fx.engine.addListEntry({ list: 'allow', kind: 'user', value: user, reason: 'vip', author: 'op-7' });
    await fx.engine.addListEntry({ list: 'block', kind: 'device', value: event.deviceId!, reason: 'emulator farm', author: 'op-7' });
    const decision = await decide(event);
    expect(decision.decision).toBe('block');
    expect(decision.allowedBy).toBeNull();
    expect(ruleKeys(decision)).toEqual(['block_list_hit', 'country_mismatch']);

    const minor = ordinaryUser({ birthYear: new Date().getUTCFullYear() - 15 });
    expect((await decide(recharge(user, new Date()), minor)).decision).toBe('block');
  });

  it('matches email domains and BIN countries case-insensitively, as normalised', async () => {
    await fx.engine.addListEntry({ list: 'block', kind: 'email_domain', value: '@Burner.Example', reason: 'disposable', author: 'op-1' });
    const decision = await decide(recharge(uid('burner'), new Date()), ordinaryUser({ emailDomain: 'burner.example' }));
    expect(decision.decision).toBe('block');
    await fx.engine.addListEntry({ list: 'block', kind: 'bin_country', value: 'kp', reason: 'sanctions', author: 'op-1' });
    expect((await decide(recharge(uid('kp'), new Date(), { binCountry: 'KP' }))).decision).toBe('block');
  });

  it('stops matching an entry once it expires', async () => {
    const user = uid('expiring');
    const event = recharge(user, new Date());
    const expiresAt = new Date(Date.now() + 60_000);
    await fx.engine.addListEntry({ list: 'block', kind: 'card', value: event.cardFingerprint!, reason: 'cooling off', author: 'op-2', expiresAt });
    expect((await decide(event, ordinaryUser(), new Date(expiresAt.getTime() - 1))).decision).toBe('block');
    expect((await decide(event, ordinaryUser(), expiresAt)).decision).toBe('allow');
    // Reloaded from PostgreSQL after a flush, the entry keeps its expiry.
    await fx.flushRedis();
    expect((await decide(event, ordinaryUser(), new Date(expiresAt.getTime() - 1))).decision).toBe('block');
    expect((await decide(event, ordinaryUser(), expiresAt)).decision).toBe('allow');
  });

  it('keeps a removed entry as history and stops matching it, unless another entry lists the value', async () => {
    const event = recharge(uid('removed'), new Date());
    const first = await fx.engine.addListEntry({ list: 'block', kind: 'ip', value: event.ip!, reason: 'first report', author: 'op-3' });
    const second = await fx.engine.addListEntry({ list: 'block', kind: 'ip', value: event.ip!, reason: 'second report', author: 'op-4' });
    await fx.engine.removeListEntry(first.id, { by: 'op-5', reason: 'false positive' });
    expect((await decide(event)).decision).toBe('block');
    await fx.engine.removeListEntry(second.id, { by: 'op-5', reason: 'false positive' });
    expect((await decide(event)).decision).toBe('allow');

    const history = await fx.engine.findListEntries({ kind: 'ip', value: event.ip! });
    expect(history.map((e) => [e.reason, e.removedBy, e.removalReason])).toEqual([
      ['second report', 'op-5', 'false positive'],
      ['first report', 'op-5', 'false positive'],
    ]);
    expect(await fx.engine.findListEntries({ kind: 'ip', value: event.ip!, active: true })).toEqual([]);
    await expect(fx.engine.removeListEntry(first.id, { by: 'op-5', reason: 'again' })).rejects.toBeInstanceOf(Conflict);
  });

  it('refuses malformed entries with the field at fault', async () => {
    const refused = (entry: Parameters<typeof fx.engine.addListEntry>[0]) => fx.engine.addListEntry(entry).catch((error: ValidationFailed) => error.details);
    expect(await refused({ list: 'block', kind: 'ip', value: 'not an ip', reason: 'x', author: 'op' })).toEqual([{ field: 'value', message: expect.stringContaining('IP') }]);
    expect(await refused({ list: 'block', kind: 'bin', value: '12', reason: 'x', author: 'op' })).toEqual([{ field: 'value', message: expect.any(String) }]);
    expect(await refused({ list: 'block', kind: 'card', value: 'c', reason: 'x', author: 'op', expiresAt: new Date(Date.now() - 1000) })).toEqual([
      { field: 'expires_at', message: 'must be a date in the future' },
    ]);
    expect(await refused({ list: 'grey' as 'block', kind: 'card', value: 'c', reason: '', author: 'op' })).toEqual([
      { field: 'list', message: expect.any(String) },
      { field: 'reason', message: expect.any(String) },
    ]);
  });
});
