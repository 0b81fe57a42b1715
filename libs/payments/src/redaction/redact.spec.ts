import { containsPan, luhnValid, REDACTED, redactPayload, redactRawBody } from './redact';

const PAN = '4242424242424242';

describe('payload redaction', () => {
  it('keeps only fingerprint, brand, country, last4 and the wallet type of a card', () => {
    const redacted = redactPayload({
      payment_method_details: {
        type: 'card',
        card: { number: PAN, cvc: '123', exp_month: 12, exp_year: 2030, fingerprint: 'fp123', brand: 'visa', country: 'US', last4: '4242', funding: 'credit', wallet: { type: 'apple_pay', dynamic_last4: '9999' } },
      },
    });
    expect(redacted).toEqual({ payment_method_details: { type: 'card', card: { fingerprint: 'fp123', brand: 'visa', country: 'US', last4: '4242', wallet: { type: 'apple_pay' } } } });
  });

  it('replaces a card number wherever it hides: metadata, descriptions, spaced or dashed, inside longer text', () => {
    const redacted = JSON.stringify(
      redactPayload({
        description: `card ${PAN.replace(/(\d{4})(?=\d)/g, '$1 ')} please`,
        metadata: { note: `pan=${PAN}`, other: '5555-5555-5555-4444', coins: '1400' },
        source: { object: 'card', number: PAN, cvc: '999', last4: '4242' },
        nested: [{ deep: { value: `x${PAN}x` } }],
      }),
    );
    expect(redacted).not.toMatch(/4242[ -]?4242[ -]?4242[ -]?4242/);
    expect(redacted).not.toMatch(/5555-5555-5555-4444/);
    expect(redacted).not.toMatch(/999/);
    expect(redacted).toContain(REDACTED);
    expect(redacted).toContain('"coins":"1400"');
  });

  it('drops large JSON numbers, which a PAN would become and which lose digits past 2^53', () => {
    expect(redactPayload({ card_like: 6011111111111117, amount: 1999, created: 1764288400 })).toEqual({ card_like: REDACTED, amount: 1999, created: 1764288400 });
  });

  it('drops the payer contact details and card secrets by key at any depth', () => {
    expect(redactPayload({ billing_details: { email: 'a@b.c' }, receipt_email: 'a@b.c', x: { cvc: '1', cvv: '2', ok: true } })).toEqual({ x: { ok: true } });
  });

  it('keeps the platform ids in metadata as sent, even all-digit ones that pass the Luhn check', () => {
    const snowflake = '6812345678901234567';
    expect(luhnValid(snowflake.slice(0, 16)) || containsPan(snowflake)).toBe(true);
    expect(redactPayload({ metadata: { user_id: snowflake, device_id: snowflake } })).toEqual({ metadata: { user_id: snowflake, device_id: snowflake } });
  });

  it('leaves ordinary Stripe ids, times and amounts alone', () => {
    const event = { id: 'evt_1Nb2c3D4e5F6g7H8i9J0kLmN', created: 1764288400, data: { object: { id: 'ch_3Nb2c3D4e5F6g7H8', amount: 499 } } };
    expect(redactPayload(event)).toEqual(event);
  });

  it('bounds depth, array length and string length', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 40; i++) deep = { next: deep };
    expect(JSON.stringify(redactPayload(deep))).toContain(REDACTED);
    expect((redactPayload({ list: Array.from({ length: 500 }, (_, i) => i) }) as { list: number[] }).list).toHaveLength(100);
    expect(((redactPayload({ text: 'a'.repeat(10_000) }) as { text: string }).text).length).toBeLessThanOrEqual(2_001);
  });

  it('scrubs card numbers from a raw body, parseable or not, keeping everything else', () => {
    const raw = `{"amount":1999,"card":${PAN},"note":"4242 4242 4242 4242","broken":`;
    const scrubbed = redactRawBody(Buffer.from(raw));
    expect(scrubbed).toBe(`{"amount":1999,"card":${REDACTED},"note":"${REDACTED}","broken":`);
    expect(redactRawBody('order 1234567890123 shipped')).toBe(luhnValid('1234567890123') ? `order ${REDACTED} shipped` : 'order 1234567890123 shipped');
  });
});
