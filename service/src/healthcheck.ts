// Used by the image's HEALTHCHECK: needs nothing but node itself.
const port = process.env.PORT ?? '5000';
try {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
  process.exit(res.ok ? 0 : 1);
} catch {
  process.exit(1);
}
