import { ConfigError, DEMO_SECRETS, loadConfig } from './config';

describe('loadConfig', () => {
  it('falls back to local services and demo secrets outside production', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/coinops');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.PORT).toBe(3000);
    expect(config.JWT_SECRET).toBe(DEMO_SECRETS.JWT_SECRET);
    expect(config.demoSecrets).toEqual(['JWT_SECRET', 'EVENTS_SECRET', 'STRIPE_WEBHOOK_SECRET', 'RISK_SERVICE_TOKEN', 'STRIPE_API_KEY']);
    expect(config.STRIPE_API_BASE).toBe('http://127.0.0.1:12111');
  });

  it('sends the worker to Stripe itself in production unless STRIPE_API_BASE says otherwise, and refuses a bad one', () => {
    const secrets = { JWT_SECRET: 'x'.repeat(40), EVENTS_SECRET: 'y'.repeat(20), STRIPE_WEBHOOK_SECRET: 'whsec_' + 'z'.repeat(20), RISK_SERVICE_TOKEN: 't'.repeat(20), STRIPE_API_KEY: 'sk_live_' + 'k'.repeat(20) };
    expect(loadConfig({ NODE_ENV: 'production', ...secrets }).STRIPE_API_BASE).toBeUndefined();
    expect(loadConfig({ STRIPE_API_BASE: 'http://127.0.0.1:9999' }).STRIPE_API_BASE).toBe('http://127.0.0.1:9999');
    expect(() => loadConfig({ STRIPE_API_BASE: 'ftp://x' })).toThrow(/STRIPE_API_BASE/);
  });

  it('names every bad variable in one error', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOGIN_MAX_FAILURES: '0' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/DATABASE_URL/);
      expect(problems).toMatch(/LOGIN_MAX_FAILURES/);
    }
  });

  it('refuses missing and demo secrets in production, naming each', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: DEMO_SECRETS.JWT_SECRET, EVENTS_SECRET: 'a-real-events-secret-123' }),
    ).toThrow(/JWT_SECRET: is the demo value[\s\S]*STRIPE_WEBHOOK_SECRET: is required[\s\S]*RISK_SERVICE_TOKEN: is required/);
  });

  it('accepts real secrets in production', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      EVENTS_SECRET: 'y'.repeat(20),
      STRIPE_WEBHOOK_SECRET: 'whsec_' + 'z'.repeat(20),
      RISK_SERVICE_TOKEN: 't'.repeat(20),
      STRIPE_API_KEY: 'sk_live_' + 'k'.repeat(20),
    });
    expect(config.demoSecrets).toEqual([]);
  });
});
