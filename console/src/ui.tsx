// Building blocks every screen shares: problems shown as the API words
// them, buttons gated by permission, confirmation for destructive actions,
// cursor paging, the one-time reveal of a secret, and a bar chart.

import type { ButtonHTMLAttributes, ComponentChildren, JSX } from "preact";
import { useCallback, useEffect, useId, useRef, useState } from "preact/hooks";
import { describe, fieldError, type Permission } from "./api";
import { useCan } from "./app";

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div class="problem" role="alert">
      {describe(error)}
    </div>
  );
}

interface FieldProps {
  label: string;
  /** The API's name for the field, to show its validation message beside it. */
  name: string;
  error?: unknown;
  hint?: string;
  children: (props: { id: string; "aria-describedby"?: string; "aria-invalid"?: boolean }) => JSX.Element;
}

/** A labelled control with its hint and the API's message for it. */
export function Field({ label, name, error, hint, children }: FieldProps) {
  const id = useId();
  const message = fieldError(error, name);
  const described = [hint ? `${id}-hint` : "", message ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children({ id, "aria-describedby": described || undefined, "aria-invalid": message ? true : undefined })}
      {hint && (
        <small id={`${id}-hint`} class="hint">
          {hint}
        </small>
      )}
      {message && (
        <small id={`${id}-error`} class="field-error">
          {message}
        </small>
      )}
    </div>
  );
}

/** The API's message for a field drawn as a group (checkboxes), not one control. */
export function FieldMessage({ name, error }: { name: string; error: unknown }) {
  const message = fieldError(error, name);
  return message ? <small class="field-error">{message}</small> : null;
}

type ButtonProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, "type"> & {
  /** Disabled, saying why, unless the user's role grants it. */
  needs?: Permission;
  disabled?: boolean;
  type?: "button" | "submit";
};

/** A button for an action the API may refuse the user's role: a form's submit is the primary one. */
export function Action({ needs, disabled, title, type = "button", ...props }: ButtonProps) {
  const can = useCan();
  const refused = needs !== undefined && !can(needs);
  return (
    <button
      class={type === "submit" ? "primary" : undefined}
      {...props}
      type={type}
      disabled={refused || disabled}
      title={refused ? `Your role does not grant ${needs}` : title}
    />
  );
}

/** A button that asks before it acts (for what cannot be undone). */
export function Confirm({
  label,
  question,
  onConfirm,
  needs,
  danger = true,
}: {
  label: string;
  question: string;
  onConfirm: () => Promise<unknown> | void;
  needs?: Permission;
  danger?: boolean;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const titleId = useId();
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      dialog.current?.close();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Action class={danger ? "danger" : ""} needs={needs} onClick={() => dialog.current?.showModal()}>
        {label}
      </Action>
      <dialog ref={dialog} aria-labelledby={titleId}>
        <h2 id={titleId}>{label}</h2>
        <p>{question}</p>
        <ErrorBox error={error} />
        <div class="row">
          <button type="button" class={danger ? "danger" : "primary"} disabled={busy} onClick={confirm}>
            Yes, {label.toLowerCase()}
          </button>
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </dialog>
    </>
  );
}

export interface Page<T> {
  data: T[];
  next_cursor?: string | null;
}

/**
 * A list read page by page with the API's cursor. `load(cursor)` reads one
 * page; changing `deps` starts again from the first.
 */
export function usePaged<T>(load: (cursor: string | undefined) => Promise<Page<T>>, deps: unknown[]) {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const fetchPage = useCallback(
    async (cursor: string | undefined, append: boolean) => {
      const mine = ++generation.current;
      setLoading(true);
      try {
        const page = await load(cursor);
        if (mine !== generation.current) return;
        setItems((current) => (append ? [...current, ...page.data] : page.data));
        setNext(page.next_cursor ?? null);
        setError(null);
      } catch (e) {
        if (mine === generation.current) setError(e);
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    deps,
  );
  useEffect(() => {
    fetchPage(undefined, false);
  }, [fetchPage]);
  // Stable for as long as the list's query is, so pollers keep their timer.
  const reload = useCallback(() => fetchPage(undefined, false), [fetchPage]);
  return {
    items,
    error,
    loading,
    hasMore: !!next,
    more: () => next && fetchPage(next, true),
    reload,
  };
}

/** What a paged list needs besides its items' own markup. */
interface PagedList {
  items: unknown[];
  error: unknown;
  loading: boolean;
  hasMore: boolean;
  more: () => unknown;
}

/** A paged list's frame: its problem (and `problem`, another), a line when it is empty, and "Load more". */
export function Listing({
  list,
  empty,
  problem,
  children,
}: {
  list: PagedList;
  empty: string;
  problem?: unknown;
  children: ComponentChildren;
}) {
  return (
    <>
      <ErrorBox error={list.error ?? problem} />
      {list.items.length === 0 && !list.loading && <Empty>{empty}</Empty>}
      {children}
      <More list={list} />
    </>
  );
}

export function More({ list }: { list: { hasMore: boolean; loading: boolean; more: () => unknown } }) {
  if (!list.hasMore) return null;
  return (
    <button type="button" class="more" disabled={list.loading} onClick={() => list.more()}>
      {list.loading ? "Loading…" : "Load more"}
    </button>
  );
}

/** Re-runs `tick` every `seconds` while `active`. */
export function usePolling(active: boolean, tick: () => unknown, seconds = 2) {
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(tick, seconds * 1000);
    return () => clearInterval(timer);
  }, [active, tick, seconds]);
}

/**
 * A table that scrolls inside its card on a narrow screen (a labelled
 * region the keyboard can reach and scroll); an empty heading is the
 * actions column's.
 */
export function Table({ head, caption, children }: { head: string[]; caption: string; children: ComponentChildren }) {
  return (
    <div class="scroll" role="region" aria-label={caption} tabIndex={0}>
      <table>
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            {head.map((heading, i) => (
              <th scope="col" key={i}>
                {heading || <span class="sr-only">Actions</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export function Status({ value }: { value: string }) {
  return <span class={`status status-${value}`}>{value.replace(/_/g, " ")}</span>;
}

export function When({ at }: { at: string | null | undefined }) {
  if (!at) return <span class="muted">—</span>;
  const date = new Date(at);
  return (
    <time dateTime={at} title={at}>
      {date.toLocaleString()}
    </time>
  );
}

/** A secret shown once, with a copy button and the warning that it will not be shown again. */
export function Reveal({ label, secret, onDone }: { label: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(secret);
    setCopied(true);
  };
  return (
    <section class="reveal" aria-label={label}>
      <h3>{label}</h3>
      <p class="warning">
        Copy it now: it is shown only this once and cannot be read back. Anyone holding it acts with its permissions.
      </p>
      <code class="secret" data-testid="secret">
        {secret}
      </code>
      <div class="row">
        <button type="button" class="primary" onClick={copy}>
          {copied ? "Copied" : "Copy"}
        </button>
        <button type="button" onClick={onDone}>
          I have stored it
        </button>
      </div>
      <p class="sr-only" aria-live="polite">
        {copied ? "Copied to the clipboard" : ""}
      </p>
    </section>
  );
}

export interface Bar {
  label: string;
  values: number[];
}

/** Grouped bars (one colour a series) as an SVG with a table for screen readers. */
export function BarChart({ title, series, bars }: { title: string; series: string[]; bars: Bar[] }) {
  const max = Math.max(1, ...bars.flatMap((b) => b.values));
  const width = Math.max(bars.length * (series.length * 10 + 8), 120);
  const height = 120;
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height + 14}`} role="img" aria-label={title} preserveAspectRatio="none">
        {bars.map((bar, i) =>
          bar.values.map((value, s) => {
            const h = (value / max) * height;
            const x = i * (series.length * 10 + 8) + s * 10;
            return (
              <rect key={`${i}-${s}`} class={`series-${s}`} x={x} y={height - h} width={9} height={h}>
                <title>{`${bar.label} ${series[s]}: ${value}`}</title>
              </rect>
            );
          }),
        )}
      </svg>
      <div class="legend" aria-hidden="true">
        {series.map((name, s) => (
          <span key={name}>
            <i class={`swatch series-${s}`} /> {name}
          </span>
        ))}
      </div>
      <details>
        <summary>Data</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              {series.map((name) => (
                <th scope="col" key={name}>
                  {name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {bars.map((bar) => (
              <tr key={bar.label}>
                <th scope="row">{bar.label}</th>
                {bar.values.map((v, s) => (
                  <td key={s}>{v}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

export function Section({ title, actions, children }: { title: string; actions?: ComponentChildren; children: ComponentChildren }) {
  return (
    <section class="card">
      <div class="card-head">
        <h2>{title}</h2>
        {actions && <div class="row">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

/**
 * Actions outside a form (a button in a list): runs one, keeps its problem
 * for display, and then calls `after` (a reload) whether it worked or not.
 */
export function useAction(after?: () => unknown) {
  const [error, setError] = useState<unknown>(null);
  const run = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e);
    }
    await after?.();
  };
  return { error, run };
}

/** A form's submit state: busy while the request runs, and its problem. */
export function useSubmit<T>(action: () => Promise<T>, done?: (result: T) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event?: Event) => {
    event?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await action();
      done?.(result);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}

/** Saves a Blob as a file the browser downloads. */
export function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
