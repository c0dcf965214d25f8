// startServer on 127.0.0.1 port 0: answers, then shuts down gracefully on SIGTERM (the caller's stop first, then fastify).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/http.ts';
import { startServer } from '../../src/server/serve.ts';

describe('startServer', () => {
  it('listens, and on SIGTERM runs onStop, closes the server and settles `closed`', async () => {
    const server = await buildServer({ siteDir: mkdtempSync(join(tmpdir(), 'paperboy-serve-')), baseUrl: 'http://localhost' });
    const order: string[] = [];
    server.addHook('onClose', async () => {
      order.push('server closed');
    });
    const running = await startServer(server, 0, '127.0.0.1', async () => {
      order.push('onStop');
    });
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await fetch(`${running.url}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ok: true });

    // Our handler is on the signal, so emitting it stops the server instead of the test process.
    const listeners = process.listenerCount('SIGTERM');
    process.emit('SIGTERM');
    await running.closed;
    expect(order).toEqual(['onStop', 'server closed']);
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
    // The handlers are gone, and stop() after the fact is harmless.
    expect(process.listenerCount('SIGTERM')).toBe(listeners - 1);
    await running.stop();
  });

  it('stop() does the same without a signal, once', async () => {
    const server = await buildServer({ siteDir: mkdtempSync(join(tmpdir(), 'paperboy-serve-')), baseUrl: 'http://localhost' });
    let stops = 0;
    const running = await startServer(server, 0, '127.0.0.1', async () => {
      stops++;
    });
    await Promise.all([running.stop(), running.stop()]);
    await running.closed;
    expect(stops).toBe(1);
    expect(process.listeners('SIGINT').length).toBe(0);
  });
});
