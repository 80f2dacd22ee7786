// Polling that stops with its page: every few seconds, or later when the API says Retry-After.

/** Calls tick() now and then every `seconds` until stop() is called or tick returns false. */
export function every(seconds, tick) {
  let timer = null;
  let stopped = false;
  async function run() {
    let again = true;
    try { again = (await tick()) !== false; } catch { again = true; }
    if (!stopped && again) timer = setTimeout(run, seconds * 1000);
  }
  run();
  return () => { stopped = true; clearTimeout(timer); };
}
