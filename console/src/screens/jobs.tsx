// Background jobs: filtered by status and type, refreshed while any is
// pending or running, with attempts, errors and results; retry and cancel.

import { useState } from "preact/hooks";
import { unwrap, type Schemas } from "../api";
import { useApp } from "../app";
import { Action, Confirm, ErrorBox, Field, Listing, Section, Status, Table, useAction, usePaged, usePolling, When } from "../ui";

type Job = Schemas["Job"];
type JobStatus = Schemas["JobStatus"];
type JobType = Schemas["JobType"];
const STATUSES: JobStatus[] = ["pending", "running", "completed", "failed", "cancelled"];
const TYPES: JobType[] = [
  "provision_project",
  "deprovision_project",
  "rotate_key",
  "deliver_webhook",
  "export_backup",
  "export_audit",
  "check_usage_limits",
  "test_credential",
  "run_source",
  "test_source",
  "discover_mcp_server",
];

export const unfinished = (job: { status: JobStatus }) => job.status === "pending" || job.status === "running";

export function JobsScreen() {
  const { api } = useApp();
  const [status, setStatus] = useState<JobStatus | "">("");
  const [type, setType] = useState<JobType | "">("");
  const list = usePaged(
    async (cursor) =>
      unwrap(await api.client.GET("/v1/jobs", { params: { query: { cursor, status: status || undefined, type: type || undefined } } })),
    [api, status, type],
  );
  usePolling(list.items.some(unfinished), list.reload);
  return (
    <>
      <h1>Jobs</h1>
      <Section title="Jobs">
        <div class="filters">
          <Field label="Status" name="query.status">
            {(p) => (
              <select {...p} value={status} onChange={(e) => setStatus(e.currentTarget.value as JobStatus | "")}>
                <option value="">Any</option>
                {STATUSES.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Type" name="query.type">
            {(p) => (
              <select {...p} value={type} onChange={(e) => setType(e.currentTarget.value as JobType | "")}>
                <option value="">Any</option>
                {TYPES.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <Listing list={list} empty="No jobs match.">
          <JobTable jobs={list.items} onChanged={list.reload} />
        </Listing>
      </Section>
    </>
  );
}

export function JobTable({ jobs, onChanged }: { jobs: Job[]; onChanged: () => void }) {
  const { api } = useApp();
  const action = useAction(onChanged);
  const retry = (job: Job) =>
    action.run(async () => unwrap(await api.client.POST("/v1/jobs/{job_id}/retry", { params: { path: { job_id: job.id } } })));
  const problem = action.error;
  return (
    <>
      <ErrorBox error={problem} />
      <Table head={["Job", "Status", "Attempts", "Created", "Finished", ""]} caption="Jobs">
        {jobs.map((job) => (
          <tr key={job.id} data-job={job.id}>
            <td>
              <div>{job.type.replace(/_/g, " ")}</div>
              <code class="muted">{job.id}</code>
              {job.error && <div class="problem">{job.error}</div>}
              {job.result && (
                <details>
                  <summary>Result</summary>
                  <pre>{JSON.stringify(job.result, null, 2)}</pre>
                </details>
              )}
            </td>
            <td>
              <Status value={job.status} />
              {unfinished(job) && <span class="sr-only"> (refreshing)</span>}
            </td>
            <td>
              {job.attempts} / {job.max_attempts}
            </td>
            <td>
              <When at={job.created_at} />
            </td>
            <td>
              <When at={job.finished_at} />
            </td>
            <td class="row">
              {job.status === "failed" && (
                <Action needs="jobs:manage" onClick={() => retry(job)}>
                  Retry
                </Action>
              )}
              {job.status === "pending" && (
                <Confirm
                  label="Cancel"
                  needs="jobs:manage"
                  question="Cancel this job? Work it already did stays done."
                  onConfirm={async () => {
                    unwrap(await api.client.DELETE("/v1/jobs/{job_id}", { params: { path: { job_id: job.id } } }));
                    onChanged();
                  }}
                />
              )}
            </td>
          </tr>
        ))}
      </Table>
    </>
  );
}
