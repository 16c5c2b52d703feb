// Sources: what was configured, who owns it, how it authenticates, which
// project it belongs to, when it last ran and what it found. A source's
// page gathers its jobs, schedules, evidence, policy bindings and audit
// trail; its form is drawn per kind from the API's own schema.

import { useCallback, useEffect, useState } from "preact/hooks";
import { sha256, unwrap, type AuditPage, type Schemas } from "../api";
import { useApp } from "../app";
import { go } from "../route";
import { SchemaForm } from "../schemaform";
import { conditional, useSpec } from "../spec";
import { Action, Confirm, Empty, ErrorBox, Field, Listing, Section, Status, Table, useAction, usePaged, usePolling, useSubmit, When } from "../ui";
import { useCredentials } from "./credentials";
import { JobTable, unfinished } from "./jobs";
import { ifMatch } from "./org";
import { ProjectPicker, useProjects } from "./projects";
import { ScheduleList } from "./schedules";

type Source = Schemas["Source"];
type SourceKind = Schemas["SourceKind"];

export function SourcesScreen() {
  const { api } = useApp();
  const [project, setProject] = useState("");
  const [kind, setKind] = useState<SourceKind | "">("");
  const [status, setStatus] = useState<Schemas["SourceStatus"] | "">("");
  const [creating, setCreating] = useState(false);
  const spec = useSpec();
  const kinds = (spec?.components.schemas.SourceKind?.enum ?? []) as SourceKind[];
  const projects = useProjects();
  const credentials = useCredentials();
  const list = usePaged(
    async (cursor) =>
      unwrap(
        await api.client.GET("/v1/sources", {
          params: { query: { cursor, project_id: project || undefined, kind: kind || undefined, status: status || undefined } },
        }),
      ),
    [api, project, kind, status],
  );
  return (
    <>
      <h1>Sources</h1>
      {creating ? (
        <SourceForm
          onSaved={(source) => {
            setCreating(false);
            go(`sources/${source.id}`);
          }}
          onCancel={() => setCreating(false)}
        />
      ) : (
        <Action needs="sources:write" class="primary" onClick={() => setCreating(true)}>
          New source
        </Action>
      )}
      <Section title="All sources">
        <div class="filters">
          <ProjectPicker any value={project} onChange={setProject} />
          <Field label="Kind" name="query.kind">
            {(p) => (
              <select {...p} value={kind} onChange={(e) => setKind(e.currentTarget.value as SourceKind | "")}>
                <option value="">Any</option>
                {kinds.map((k) => (
                  <option key={k}>{k}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Status" name="query.status">
            {(p) => (
              <select {...p} value={status} onChange={(e) => setStatus(e.currentTarget.value as Schemas["SourceStatus"] | "")}>
                <option value="">Any</option>
                <option>active</option>
                <option>paused</option>
                <option>error</option>
              </select>
            )}
          </Field>
        </div>
        <Listing list={list} empty="No sources match.">
          <Table head={["Source", "Status", "Authenticates with", "Project", "Owner", "Last run", "Last result"]} caption="Sources">
            {list.items.map((source) => {
              const credential = credentials.find((c) => c.id === source.credential_ref_id);
              return (
                <tr key={source.id}>
                  <td>
                    <a href={`#/sources/${source.id}`}>{source.display_name}</a>
                    <div class="muted">{source.kind}</div>
                  </td>
                  <td>
                    <Status value={source.enabled ? source.status : "paused"} />
                  </td>
                  <td>{source.credential_ref_id ? (credential ? `${credential.name} (${credential.kind})` : source.credential_ref_id) : "no credential"}</td>
                  <td>{projects.find((p) => p.id === source.project_id)?.name ?? source.project_id}</td>
                  <td>{source.owner}</td>
                  <td>
                    <When at={source.last_run_at} />
                  </td>
                  <td>
                    {source.last_result ? (
                      <>
                        <Status value={source.last_result.outcome} /> <span class="muted">{source.last_result.summary}</span>
                      </>
                    ) : (
                      <span class="muted">never run</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </Table>
        </Listing>
      </Section>
    </>
  );
}

function SourceForm({ source, onSaved, onCancel }: { source?: Source; onSaved: (s: Source) => void; onCancel: () => void }) {
  const { api } = useApp();
  const spec = useSpec();
  const credentials = useCredentials();
  const [project, setProject] = useState(source?.project_id ?? "");
  const [kind, setKind] = useState<SourceKind>(source?.kind ?? "scan.iac");
  const [name, setName] = useState(source?.display_name ?? "");
  const [owner, setOwner] = useState(source?.owner ?? "");
  const [credential, setCredential] = useState(source?.credential_ref_id ?? "");
  const [connector, setConnector] = useState<unknown>(source?.connector ?? {});
  const kinds = (spec?.components.schemas.SourceKind?.enum ?? []) as SourceKind[];
  const schema = spec ? conditional(spec, "CreateSource", "kind", kind, "connector") : undefined;
  const form = useSubmit(async () => {
    const fields = {
      display_name: name,
      owner: owner || null,
      credential_ref_id: credential || null,
      connector: connector as Schemas["CreateSource"]["connector"],
    };
    return source
      ? unwrap(
          await api.client.PUT("/v1/sources/{source_id}", {
            params: { path: { source_id: source.id }, header: { "If-Match": ifMatch(source.version) } },
            body: fields,
          }),
        )
      : unwrap(await api.client.POST("/v1/sources", { body: { ...fields, project_id: project, kind } }));
  }, onSaved);
  return (
    <Section title={source ? "Edit source" : "New source"}>
      <form onSubmit={form.submit}>
        <div class="inline-form">
          <Field label="Name" name="display_name" error={form.error}>
            {(p) => <input {...p} value={name} required onInput={(e) => setName(e.currentTarget.value)} />}
          </Field>
          {!source && <ProjectPicker value={project} onChange={setProject} error={form.error} />}
          {!source && (
            <Field label="Kind" name="kind" error={form.error}>
              {(p) => (
                <select
                  {...p}
                  value={kind}
                  onChange={(e) => {
                    setKind(e.currentTarget.value as SourceKind);
                    setConnector({});
                  }}
                >
                  {kinds.map((k) => (
                    <option key={k}>{k}</option>
                  ))}
                </select>
              )}
            </Field>
          )}
          <Field label="Credential" name="credential_ref_id" error={form.error}>
            {(p) => (
              <select {...p} value={credential} onChange={(e) => setCredential(e.currentTarget.value)}>
                <option value="">None</option>
                {credentials.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name} ({c.kind})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Owner (optional)" name="owner" error={form.error} hint="Who answers for it; default: you.">
            {(p) => <input {...p} value={owner} onInput={(e) => setOwner(e.currentTarget.value)} />}
          </Field>
        </div>
        {spec && schema && (
          <SchemaForm
            key={kind}
            spec={spec}
            schema={schema}
            value={connector}
            onChange={setConnector}
            path="connector"
            label={`${kind} settings`}
            error={form.error}
          />
        )}
        <div class="row">
          <Action type="submit" needs="sources:write" disabled={form.busy}>
            {source ? "Save" : "Create source"}
          </Action>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
      <ErrorBox error={form.error} />
    </Section>
  );
}

export function SourceScreen({ id, evidence }: { id: string; evidence?: string }) {
  const { api } = useApp();
  const [source, setSource] = useState<Source | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState(false);
  const credentials = useCredentials();
  const path = { source_id: id };
  const load = useCallback(async () => {
    try {
      setSource(unwrap(await api.client.GET("/v1/sources/{source_id}", { params: { path } })));
    } catch (e) {
      setError(e);
    }
  }, [api, id]);
  useEffect(() => {
    load();
  }, [load]);
  const jobs = usePaged(
    async (cursor) => unwrap(await api.client.GET("/v1/sources/{source_id}/jobs", { params: { path, query: { cursor } } })),
    [api, id],
  );
  const running = jobs.items.some(unfinished);
  usePolling(running, jobs.reload);
  // The source's last run and result, and its evidence, are read again
  // whenever its jobs change (a run finishing among them).
  const jobStates = jobs.items.map((j) => `${j.id}:${j.status}`).join(",");
  useEffect(() => {
    load();
  }, [jobStates]);
  const act = useAction(jobs.reload);
  const run = act.run;
  if (evidence) return <EvidenceView source={id} evidence={evidence} />;
  if (!source) return <ErrorBox error={error} />;
  const credential = credentials.find((c) => c.id === source.credential_ref_id);
  return (
    <>
      <p>
        <a href="#/sources">← Sources</a>
      </p>
      <h1>{source.display_name}</h1>
      <dl class="facts">
        <dt>Kind</dt>
        <dd>{source.kind}</dd>
        <dt>Status</dt>
        <dd>
          <Status value={source.enabled ? source.status : "paused"} />
        </dd>
        <dt>Owner</dt>
        <dd>{source.owner}</dd>
        <dt>Organization</dt>
        <dd>
          <code>{source.org_id}</code>
        </dd>
        <dt>Project</dt>
        <dd>
          <code>{source.project_id}</code>
        </dd>
        <dt>Authenticates with</dt>
        <dd>
          {source.credential_ref_id ? (
            <a href="#/credentials">{credential ? `${credential.name} (${credential.kind}, ${credential.fingerprint})` : source.credential_ref_id}</a>
          ) : (
            "no credential"
          )}
        </dd>
        <dt>Last run</dt>
        <dd>
          <When at={source.last_run_at} />
        </dd>
        <dt>Last result</dt>
        <dd>
          {source.last_result ? (
            <>
              <Status value={source.last_result.outcome} /> {source.last_result.summary}
            </>
          ) : (
            "never run"
          )}
        </dd>
        <dt>Created</dt>
        <dd>
          by {source.created_by}, <When at={source.created_at} />
        </dd>
      </dl>
      <div class="row">
        <Action
          needs="sources:run"
          class="primary"
          disabled={running}
          onClick={() => run(async () => unwrap(await api.client.POST("/v1/sources/{source_id}/run", { params: { path } })))}
        >
          {running ? "Running…" : "Run now"}
        </Action>
        <Action
          needs="sources:run"
          onClick={() => run(async () => unwrap(await api.client.POST("/v1/sources/{source_id}/test", { params: { path } })))}
        >
          Test connection
        </Action>
        <Action needs="sources:write" onClick={() => setEditing(!editing)}>
          Edit
        </Action>
        <Confirm
          label="Delete"
          needs="sources:write"
          question={`Delete ${source.display_name}? Its schedules stop; its evidence and audit trail are kept.`}
          onConfirm={async () => {
            unwrap(await api.client.DELETE("/v1/sources/{source_id}", { params: { path } }));
            go("sources");
          }}
        />
      </div>
      <ErrorBox error={act.error} />
      {editing && (
        <SourceForm
          source={source}
          onSaved={(saved) => {
            setSource(saved);
            setEditing(false);
          }}
          onCancel={() => setEditing(false)}
        />
      )}
      <Section title="Jobs">
        <Listing list={jobs} empty="Not run yet.">
          <JobTable jobs={jobs.items} onChanged={jobs.reload} />
        </Listing>
      </Section>
      <ScheduleList source={source} />
      <EvidenceList source={source} refreshKey={jobStates} />
      <PolicyBindings source={source} onChanged={load} />
      <AuditTrail target={source.id} refreshKey={`${source.version}|${jobStates}`} />
    </>
  );
}

function EvidenceList({ source, refreshKey }: { source: Source; refreshKey: string }) {
  const { api } = useApp();
  const list = usePaged(
    async (cursor) =>
      unwrap(await api.client.GET("/v1/sources/{source_id}/evidence", { params: { path: { source_id: source.id }, query: { cursor } } })),
    [api, source.id, refreshKey],
  );
  return (
    <Section title="Evidence">
      <Listing list={list} empty="No evidence yet: run the source.">
        <ul class="items">
          {list.items.map((item) => (
            <li class="item" key={item.id}>
              <a href={`#/sources/${source.id}/evidence/${item.id}`}>{item.summary}</a>
              <p class="muted">
                {item.kind} · {item.size} bytes · <When at={item.created_at} />
              </p>
            </li>
          ))}
        </ul>
      </Listing>
    </Section>
  );
}

/** Where a piece of evidence came from (source, job, collector, digest, size) and the report itself. */
function EvidenceView({ source: sourceId, evidence }: { source: string; evidence: string }) {
  const { api } = useApp();
  const [meta, setMeta] = useState<Schemas["Evidence"] | null>(null);
  const [source, setSource] = useState<Source | null>(null);
  const [job, setJob] = useState<Schemas["Job"] | null>(null);
  const [report, setReport] = useState<string | null>(null);
  const [verified, setVerified] = useState<boolean | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    (async () => {
      try {
        const path = { source_id: sourceId };
        const owner = unwrap(await api.client.GET("/v1/sources/{source_id}", { params: { path } }));
        setSource(owner);
        let found: Schemas["Evidence"] | undefined;
        let cursor: string | undefined;
        do {
          const page = unwrap(await api.client.GET("/v1/sources/{source_id}/evidence", { params: { path, query: { cursor, limit: 200 } } }));
          found = page.data.find((e) => e.id === evidence);
          cursor = found ? undefined : (page.next_cursor ?? undefined);
        } while (cursor);
        if (!found) throw new Error("this evidence is not among the source's");
        setMeta(found);
        if (found.job_id) setJob(unwrap(await api.client.GET("/v1/jobs/{job_id}", { params: { path: { job_id: found.job_id } } })));
        const blob = await api.download(`/v1/sources/${sourceId}/evidence/${evidence}`);
        const text = await blob.text();
        setVerified((await sha256(blob)) === found.sha256);
        try {
          setReport(JSON.stringify(JSON.parse(text), null, 2));
        } catch {
          setReport(text);
        }
      } catch (e) {
        setError(e);
      }
    })();
  }, [sourceId, evidence]);
  return (
    <>
      <p>
        <a href={`#/sources/${sourceId}`}>← {source?.display_name ?? "Source"}</a>
      </p>
      <h1>Evidence</h1>
      <ErrorBox error={error} />
      {meta && (
        <Section title="Provenance">
          <dl class="facts">
            <dt>Evidence</dt>
            <dd>
              <code>{meta.id}</code>
            </dd>
            <dt>Source</dt>
            <dd>
              {source?.display_name} <code class="muted">{meta.source_id}</code>
            </dd>
            <dt>Collector</dt>
            <dd>
              {source?.kind} → {meta.kind}
            </dd>
            <dt>Job</dt>
            <dd>
              {meta.job_id ? <code>{meta.job_id}</code> : "pushed"}
              {job && ` · requested by ${job.requested_by}, finished `}
              {job && <When at={job.finished_at} />}
            </dd>
            <dt>SHA-256</dt>
            <dd>
              <code>{meta.sha256}</code>{" "}
              {verified !== null && (
                <span class={verified ? "ok" : "problem"} role="status">
                  {verified ? "matches the report" : "does not match the report"}
                </span>
              )}
            </dd>
            <dt>Size</dt>
            <dd>{meta.size} bytes</dd>
            <dt>Stored at</dt>
            <dd>
              <code>{meta.location}</code>
            </dd>
            <dt>Collected</dt>
            <dd>
              <When at={meta.created_at} />
            </dd>
          </dl>
        </Section>
      )}
      {report && (
        <Section title="Report">
          <pre class="report" tabIndex={0} aria-label="Evidence report">
            {report}
          </pre>
        </Section>
      )}
    </>
  );
}

function PolicyBindings({ source, onChanged }: { source: Source; onChanged: () => void }) {
  const { api } = useApp();
  const path = { source_id: source.id };
  // A source has a handful of bindings: the route answers them in one list.
  const list = usePaged(
    async () => unwrap(await api.client.GET("/v1/sources/{source_id}/policy-bindings", { params: { path } })),
    [api, source.id],
  );
  const [policy, setPolicy] = useState("");
  const [mode, setMode] = useState<Schemas["PolicyMode"]>("audit");
  const form = useSubmit(
    async () => unwrap(await api.client.POST("/v1/sources/{source_id}/policy-bindings", { params: { path }, body: { policy_id: policy, mode } })),
    () => {
      setPolicy("");
      list.reload();
      onChanged();
    },
  );
  return (
    <Section title="Policy bindings">
      <ErrorBox error={list.error} />
      {list.items.length === 0 && !list.loading && <Empty>No policies bound.</Empty>}
      <ul class="items">
        {list.items.map((binding) => (
          <li class="item row" key={binding.binding_id}>
            <code>{binding.policy_id}</code> <Status value={binding.mode} />
            <span class="muted">
              by {binding.created_by}, <When at={binding.created_at} />
            </span>
            <Confirm
              label="Unbind"
              needs="sources:write"
              question={`Unbind ${binding.policy_id}? Its rules no longer apply to this source's runs.`}
              onConfirm={async () => {
                unwrap(
                  await api.client.DELETE("/v1/sources/{source_id}/policy-bindings/{binding_id}", {
                    params: { path: { source_id: source.id, binding_id: binding.binding_id } },
                  }),
                );
                list.reload();
              }}
            />
          </li>
        ))}
      </ul>
      <form onSubmit={form.submit} class="inline-form">
        <Field label="Policy" name="policy_id" error={form.error} hint="A rule family, e.g. mcp or iac">
          {(p) => <input {...p} value={policy} required onInput={(e) => setPolicy(e.currentTarget.value)} />}
        </Field>
        <Field label="Mode" name="mode" error={form.error}>
          {(p) => (
            <select {...p} value={mode} onChange={(e) => setMode(e.currentTarget.value as Schemas["PolicyMode"])}>
              <option value="audit">audit (report only)</option>
              <option value="enforce">enforce (a finding fails the run)</option>
            </select>
          )}
        </Field>
        <Action type="submit" needs="sources:write" disabled={form.busy}>
          Bind policy
        </Action>
      </form>
      <ErrorBox error={form.error} />
    </Section>
  );
}

/** The audit events whose target is `target`, newest first (read again when `refreshKey` changes). */
export function AuditTrail({ target, refreshKey }: { target: string; refreshKey: string }) {
  const { api } = useApp();
  const list = usePaged(
    async (cursor) =>
      unwrap(await api.client.GET("/v1/audit", { params: { query: { cursor, target_id: target, limit: 20 } } })) as AuditPage,
    [api, target, refreshKey],
  );
  return (
    <Section title="Audit trail">
      <Listing list={list} empty="No events.">
        <ul class="items">
          {list.items.map((event) => (
            <li key={event.id}>
              <When at={event.created_at} /> <code>{event.action}</code> by {event.actor.email ?? event.actor.name ?? event.actor.id}
            </li>
          ))}
        </ul>
      </Listing>
    </Section>
  );
}
