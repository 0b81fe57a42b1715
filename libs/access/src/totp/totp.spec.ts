import { newTotpSecret, totpCode, totpQrDataUrl, totpUri, TotpSecretBox, verifyTotp } from './totp';

describe('TOTP', () => {
  const secret = newTotpSecret();
  const now = 1_764_300_000;

  it('accepts the current code and the neighbouring steps, refuses others and malformed ones', () => {
    expect(verifyTotp(secret, totpCode(secret, now), null, now)).toBe(Math.floor(now / 30));
    expect(verifyTotp(secret, totpCode(secret, now - 30), null, now)).not.toBeNull();
    expect(verifyTotp(secret, totpCode(secret, now - 120), null, now)).toBeNull();
    expect(verifyTotp(secret, '12345', null, now)).toBeNull();
    expect(verifyTotp(secret, '12345a', null, now)).toBeNull();
  });

  it('refuses a code whose step was already used', () => {
    const step = verifyTotp(secret, totpCode(secret, now), null, now)!;
    expect(verifyTotp(secret, totpCode(secret, now), step, now)).toBeNull();
    expect(verifyTotp(secret, totpCode(secret, now + 30), step, now + 30)).toBe(step + 1);
  });

  it('builds an otpauth URI and a QR code image for it', async () => {
    const uri = totpUri(secret, 'ada@coinops.dev');
    expect(uri).toMatch(/^otpauth:\/\/totp\/coinops:ada%40coinops\.dev\?/);
    expect(uri).toContain(`secret=${secret}`);
    expect(await totpQrDataUrl(uri)).toMatch(/^data:image\/png;base64,/);
  });

  it('seals secrets so they read back only with the same key, and never as plain text', () => {
    const box = new TotpSecretBox('k'.repeat(48));
    const sealed = box.seal(secret);
    expect(sealed).not.toContain(secret);
    expect(box.seal(secret)).not.toBe(sealed);
    expect(box.open(sealed)).toBe(secret);
    expect(() => new TotpSecretBox('other'.repeat(10)).open(sealed)).toThrow();
  });
});
