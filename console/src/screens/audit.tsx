// The audit log: filtered by actor, action, target and dates, paged; the
// hash chain's verification; and CSV export, followed until the file is
// ready, downloaded and checked against the digest the API recorded.

import { useState } from "preact/hooks";
import { sha256, unwrap, type AuditPage, type Schemas } from "../api";
import { useApp } from "../app";
import { Action, ErrorBox, Field, Listing, saveBlob, Section, Table, usePaged, useSubmit, When } from "../ui";

interface Filter {
  actor_id: string;
  action: string;
  target_type: string;
  target_id: string;
  from: string;
  to: string;
}
const NO_FILTER: Filter = { actor_id: "", action: "", target_type: "", target_id: "", from: "", to: "" };
const iso = (local: string) => (local ? new Date(local).toISOString() : undefined);

export function AuditScreen() {
  const { api } = useApp();
  const [draft, setDraft] = useState<Filter>(NO_FILTER);
  const [filter, setFilter] = useState<Filter>(NO_FILTER);
  const query = {
    actor_id: filter.actor_id || undefined,
    action: filter.action || undefined,
    target_type: filter.target_type || undefined,
    target_id: filter.target_id || undefined,
    from: iso(filter.from),
    to: iso(filter.to),
  };
  const list = usePaged(
    async (cursor) => unwrap(await api.client.GET("/v1/audit", { params: { query: { ...query, cursor } } })) as AuditPage,
    [api, filter],
  );
  const text = (name: keyof Filter, label: string, type: "text" | "datetime-local" = "text") => (
    <Field label={label} name={`query.${name}`} error={list.error}>
      {(p) => {
        const set = (e: { currentTarget: HTMLInputElement }) => setDraft({ ...draft, [name]: e.currentTarget.value });
        return type === "text" ? (
          <input {...p} type="text" value={draft[name]} onInput={set} />
        ) : (
          <input {...p} type="datetime-local" value={draft[name]} onInput={set} />
        );
      }}
    </Field>
  );
  return (
    <>
      <h1>Audit log</h1>
      <Verify />
      <Section title="Events">
        <form
          class="filters"
          onSubmit={(e) => {
            e.preventDefault();
            setFilter(draft);
          }}
        >
          {text("actor_id", "Actor id")}
          {text("action", "Action (e.g. key.* )")}
          {text("target_type", "Target type")}
          {text("target_id", "Target id")}
          {text("from", "From", "datetime-local")}
          {text("to", "To", "datetime-local")}
          <button type="submit" class="primary">
            Apply filters
          </button>
        </form>
        <Listing list={list} empty="No events match.">
          <Table head={["When", "Action", "Actor", "Target", "Details"]} caption="Audit events">
            {list.items.map((event) => (
              <tr key={event.id}>
                <td>
                  <When at={event.created_at} />
                </td>
                <td>
                  <code>{event.action}</code>
                </td>
                <td>
                  {event.actor.email ?? event.actor.name ?? event.actor.id}
                  <div class="muted">{event.actor.type}</div>
                </td>
                <td>
                  {event.target.type} <code class="muted">{event.target.id}</code>
                </td>
                <td>
                  <details>
                    <summary>#{event.seq ?? "—"}</summary>
                    <pre>{JSON.stringify(event.metadata, null, 2)}</pre>
                    <p class="muted">request {event.request_id}</p>
                  </details>
                </td>
              </tr>
            ))}
          </Table>
        </Listing>
      </Section>
      <Export filter={query} />
    </>
  );
}

function Verify() {
  const { api } = useApp();
  const [result, setResult] = useState<{ checked: number; ok: boolean; problem?: Schemas["Break"] } | null>(null);
  const run = useSubmit(async () => {
    let checked = 0;
    let cursor: string | undefined;
    do {
      const page = unwrap(await api.client.GET("/v1/audit/verify", { params: { query: { cursor } } }));
      checked += page.checked;
      setResult({ checked, ok: page.ok, problem: page.break ?? undefined });
      if (!page.ok) return;
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
  });
  return (
    <Section title="Chain verification">
      <p>Every event's hash covers the one before it: verification recomputes the chain from the first event.</p>
      <Action needs="audit:read" disabled={run.busy} onClick={() => run.submit()}>
        {run.busy ? "Verifying…" : "Verify the chain"}
      </Action>
      {result && (
        <p class={result.ok ? "ok" : "problem"} role="status">
          {result.ok
            ? `Intact: ${result.checked} events checked${run.busy ? " so far" : ""}.`
            : `Broken at #${result.problem?.seq}: ${result.problem?.reason} — ${result.problem?.detail}`}
        </p>
      )}
      <ErrorBox error={run.error} />
    </Section>
  );
}

function Export({ filter }: { filter: Schemas["CreateExport"] }) {
  const { api } = useApp();
  const [job, setJob] = useState<Schemas["AuditExport"] | null>(null);
  const [checked, setChecked] = useState<string | null>(null);
  const run = useSubmit(async () => {
    setChecked(null);
    let current = unwrap(await api.client.POST("/v1/audit/exports", { body: filter }));
    setJob(current);
    while (current.status === "pending" || current.status === "running") {
      await new Promise((r) => setTimeout(r, 1000));
      current = unwrap(await api.client.GET("/v1/audit/exports/{export_id}", { params: { path: { export_id: current.id } } }));
      setJob(current);
    }
    if (current.status !== "completed") throw new Error(`the export ${current.status}: ${current.error ?? ""}`);
    const blob = await api.download(`/v1/audit/exports/${current.id}/download`);
    const digest = await sha256(blob);
    if (digest !== current.sha256) throw new Error(`the download's SHA-256 ${digest} is not the export's ${current.sha256}`);
    setChecked(digest);
    saveBlob(blob, `audit-${current.id}.csv`);
  });
  return (
    <Section title="Export">
      <p>Exports the events the filters above select as CSV, with each event's hash so the file can be checked offline.</p>
      <Action needs="audit:read" disabled={run.busy} onClick={() => run.submit()}>
        Export CSV
      </Action>
      {job && (
        <p role="status" class="progress">
          Export <code>{job.id}</code>: {job.status}
          {job.rows != null && `, ${job.rows} rows`}
          {job.size != null && `, ${job.size} bytes`}
        </p>
      )}
      {checked && (
        <p class="ok" role="status">
          Downloaded and verified: SHA-256 <code>{checked}</code> matches the export.
        </p>
      )}
      <ErrorBox error={run.error} />
    </Section>
  );
}
