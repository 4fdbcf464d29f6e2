// Small pieces every page uses: data loading with refetch, a polite status line for results of
// actions (read out by screen readers), and a labelled, keyboard-scrollable table wrapper.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, get } from '../api';

export function useData<T>(url: string | null): {
  data: T | null;
  error: string | null;
  reload: () => Promise<void>;
} {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const current = useRef(url);
  current.current = url;
  const reload = useCallback(async () => {
    if (!url) return;
    try {
      const d = await get<T>(url);
      if (current.current === url) {
        setData(d);
        setError(null);
      }
    } catch (err) {
      if (current.current === url) setError(errorText(err));
    }
  }, [url]);
  useEffect(() => {
    setData(null);
    void reload();
  }, [reload]);
  return { data, error, reload };
}

export function Notice({ message, kind = 'info' }: { message: string | null; kind?: 'info' | 'error' }) {
  return (
    <p
      className={`notice ${kind} ${message ? '' : 'empty'}`}
      role={kind === 'error' ? 'alert' : 'status'}
      aria-live="polite"
    >
      {message ?? ''}
    </p>
  );
}

export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t('common.loading', { what })}
    </p>
  );
}

/** Runs an action, shows its outcome in a Notice, and reports whether it worked. */
export function useAction(): {
  busy: boolean;
  message: string | null;
  kind: 'info' | 'error';
  run: (fn: () => Promise<string | void>) => Promise<boolean>;
  say: (m: string | null, k?: 'info' | 'error') => void;
} {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [kind, setKind] = useState<'info' | 'error'>('info');
  const run = useCallback(async (fn: () => Promise<string | void>) => {
    setBusy(true);
    try {
      const m = await fn();
      setKind('info');
      setMessage(m ?? null);
      return true;
    } catch (err) {
      setKind('error');
      setMessage(errorText(err));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  const say = useCallback((m: string | null, k: 'info' | 'error' = 'info') => {
    setKind(k);
    setMessage(m);
  }, []);
  return { busy, message, kind, run, say };
}

/**
 * A text of the error catalogue: its `backticked` parts (commands, settings, property names) as
 * code, marked translate="no" because they are typed as they are in every language.
 */
export function CatalogueText({ text }: { text: string }) {
  return (
    <>
      {text.split('`').map((part, i) =>
        i % 2 === 1 ? (
          <code key={i} translate="no">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}
