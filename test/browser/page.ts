// Helpers for code that runs inside the harness page.
declare global {
  interface Window { __flareDone(json: string): void }
}

/** Runs `body` in the page and reports its value (or its error) to the Node side. */
export function report(body: () => Promise<unknown>): void {
  body().then(
    (value) => window.__flareDone(JSON.stringify(value ?? null)),
    (e: unknown) => window.__flareDone(JSON.stringify({ error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) })),
  );
}
