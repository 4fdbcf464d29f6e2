// A store that does not answer must not hold a probe or a scrape: those come every few seconds,
// and their callers give up long before the store's own query timeout (75 s).

/** `work`, or a rejection after `ms`; a late failure of `work` is left handled, not unhandled. */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  work.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
