/** One-time sign-in codes against an injected clock: one use, a short life, nothing else accepted. */
import { CODE_LIFETIME_MS, LaunchCodes, MAX_LIVE_CODES } from './launch-codes';

function clocked() {
  let now = 1_000_000;
  const codes = new LaunchCodes({ now: () => now });
  return { codes, advance: (ms: number) => (now += ms) };
}

describe('one-time sign-in codes', () => {
  it('are 24 random bytes in base64url, different every time', () => {
    const { codes } = clocked();
    const issued = new Set(Array.from({ length: 20 }, () => codes.issue()));
    expect(issued.size).toBe(20);
    for (const code of issued) expect(Buffer.from(code, 'base64url')).toHaveLength(24);
  });

  it('open once: every later try is "used"', () => {
    const { codes } = clocked();
    const code = codes.issue();
    expect(codes.redeem(code)).toBe('accepted');
    expect([codes.redeem(code), codes.redeem(code), codes.redeem(code)]).toEqual(['used', 'used', 'used']);
  });

  it(`last ${CODE_LIFETIME_MS} ms by the clock they were issued on`, () => {
    const { codes, advance } = clocked();
    const early = codes.issue();
    const late = codes.issue();
    advance(CODE_LIFETIME_MS - 1);
    expect(codes.redeem(early)).toBe('accepted');
    advance(1);
    expect(codes.redeem(late)).toBe('expired');
    // An expired code stays dead when asked again.
    expect(codes.redeem(late)).toBe('expired');
  });

  it('accept nothing but the exact string that was issued', () => {
    const { codes } = clocked();
    const code = codes.issue();
    const flipped = `${code.slice(0, -1)}${code.endsWith('A') ? 'B' : 'A'}`;
    for (const wrong of [flipped, `${code}=`, `${code}.`, ` ${code}`, code.slice(1), '', 42, null, [code], { code }]) {
      expect(codes.redeem(wrong)).toBe('unknown');
    }
    expect(codes.redeem(code)).toBe('accepted');
  });

  it(`keep at most ${MAX_LIVE_CODES} live: asking for more drops the oldest`, () => {
    const { codes } = clocked();
    const issued = Array.from({ length: MAX_LIVE_CODES + 1 }, () => codes.issue());
    expect(codes.redeem(issued[0])).toBe('unknown');
    for (const code of issued.slice(1)) expect(codes.redeem(code)).toBe('accepted');
  });
});
