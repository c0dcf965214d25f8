// The confirmation email compiles its MJML once per shape, not per request; user text is still escaped.
import { describe, expect, it, vi } from 'vitest';

const compiles = vi.hoisted(() => ({ n: 0 }));
vi.mock('mjml', async (importOriginal) => {
  const real = ((await importOriginal()) as { default: (...a: unknown[]) => unknown }).default;
  return { default: (...args: unknown[]) => (compiles.n++, real(...args)) };
});

const { renderConfirmEmail } = await import('../../src/render/email.ts');

describe('confirmation email', () => {
  it('compiles MJML once for many sign-ups, filling each one in', async () => {
    const input = (i: number) => ({ confirmUrl: `https://p.example.org/confirm/t${i}?a=1&b=2`, email: `<b>${i}</b>@example.org`, topics: null, cadence: 'daily' as const, baseUrl: 'https://p.example.org' });
    const mails = await Promise.all([1, 2, 3].map((i) => renderConfirmEmail(input(i))));
    await renderConfirmEmail(input(4));
    expect(compiles.n).toBe(1);
    expect(mails[1]!.html).toContain('&lt;b&gt;2&lt;/b&gt;@example.org');
    expect(mails[1]!.html).toContain('href="https://p.example.org/confirm/t2?a=1&amp;b=2"');
    expect(mails[1]!.html).not.toMatch(/%%PBC_|<b>2/);
    expect(mails[2]!.text).toContain('https://p.example.org/confirm/t3?a=1&b=2');
    await renderConfirmEmail({ ...input(5), cadence: 'weekly' });
    expect(compiles.n).toBe(2); // a second shape: weekly
    // A typed placeholder is text, never a slot.
    const sneaky = await renderConfirmEmail({ ...input(6), email: '%%PBC_CONFIRM%%@example.org' });
    expect(sneaky.html).toContain('%%PBC_CONFIRM%%@example.org');
    expect(compiles.n).toBe(2);
  });
});
