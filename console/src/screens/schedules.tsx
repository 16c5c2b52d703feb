// Schedules: a cadence (cron or rate) in a time zone, previewed before it
// is saved, enabled or paused, with its next and last run and the outcome
// of its source's last run.

import { useEffect, useState } from "preact/hooks";
import { unwrap, type Schemas } from "../api";
import { useApp } from "../app";
import { Action, Confirm, ErrorBox, Field, Listing, Section, Status, Table, useAction, usePaged, useSubmit, When } from "../ui";

type Schedule = Schemas["Schedule"];
type Source = Schemas["Source"];

export function SchedulesScreen() {
  const { api } = useApp();
  const [sources, setSources] = useState<Map<string, Source>>(new Map());
  useEffect(() => {
    api.client.GET("/v1/sources", { params: { query: { limit: 200 } } }).then((r) => {
      setSources(new Map((r.data?.data ?? []).map((s) => [s.id, s])));
    });
  }, [api]);
  return (
    <>
      <h1>Schedules</h1>
      <p>Add a schedule from its source's page.</p>
      <ScheduleList sources={sources} />
    </>
  );
}

/** The schedules of one source, or of every source (`sources` names them). */
export function ScheduleList({ source, sources }: { source?: Source; sources?: Map<string, Source> }) {
  const { api } = useApp();
  const list = usePaged(
    async (cursor) => unwrap(await api.client.GET("/v1/schedules", { params: { query: { cursor, source_id: source?.id } } })),
    [api, source?.id],
  );
  const action = useAction(list.reload);
  const problem = action.error;
  const toggle = (schedule: Schedule) =>
    action.run(async () =>
      unwrap(
        await api.client.PUT("/v1/schedules/{schedule_id}/toggle", {
          params: { path: { schedule_id: schedule.id } },
          body: { enabled: !schedule.enabled },
        }),
      ),
    );
  return (
    <Section title="Schedules">
      {source && <CreateSchedule source={source} onCreated={list.reload} />}
      <Listing list={list} problem={problem} empty="No schedules.">
        <Table head={[...(source ? [] : ["Source"]), "Cadence", "State", "Next run", "Last run", "Last outcome", ""]} caption="Schedules">
          {list.items.map((schedule) => {
            const owner = source ?? sources?.get(schedule.source_id);
            return (
              <tr key={schedule.id}>
                {!source && (
                  <td>
                    <a href={`#/sources/${schedule.source_id}`}>{owner?.display_name ?? schedule.source_id}</a>
                  </td>
                )}
                <td>
                  <code>{schedule.cron}</code> <span class="muted">{schedule.timezone}</span>
                </td>
                <td>
                  <label>
                    <input
                      type="checkbox"
                      checked={schedule.enabled}
                      onChange={() => toggle(schedule)}
                      aria-label={`Schedule ${schedule.cron} enabled`}
                    />{" "}
                    {schedule.enabled ? "enabled" : "paused"}
                  </label>
                </td>
                <td>
                  <When at={schedule.next_run_at} />
                </td>
                <td>
                  <When at={schedule.last_run_at} />
                </td>
                <td>{owner?.last_result ? <Status value={owner.last_result.outcome} /> : <span class="muted">—</span>}</td>
                <td>
                  <Confirm
                    label="Delete"
                    needs="sources:write"
                    question={`Delete the schedule ${schedule.cron}? The source no longer runs by itself on it.`}
                    onConfirm={async () => {
                      unwrap(await api.client.DELETE("/v1/schedules/{schedule_id}", { params: { path: { schedule_id: schedule.id } } }));
                      list.reload();
                    }}
                  />
                </td>
              </tr>
            );
          })}
        </Table>
      </Listing>
    </Section>
  );
}

function CreateSchedule({ source, onCreated }: { source: Source; onCreated: () => void }) {
  const { api } = useApp();
  const [cron, setCron] = useState("0 9 * * 1-5");
  const [timezone, setTimezone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");
  const [preview, setPreview] = useState<Schemas["SchedulePreview"] | null>(null);
  const [previewProblem, setPreviewProblem] = useState<unknown>(null);
  useEffect(() => {
    const timer = setTimeout(async () => {
      try {
        setPreview(unwrap(await api.client.GET("/v1/schedules/preview", { params: { query: { cron, timezone, count: 5 } } })));
        setPreviewProblem(null);
      } catch (e) {
        setPreview(null);
        setPreviewProblem(e);
      }
    }, 300);
    return () => clearTimeout(timer);
  }, [cron, timezone]);
  const form = useSubmit(
    async () => unwrap(await api.client.POST("/v1/schedules", { body: { source_id: source.id, cron, timezone } })),
    onCreated,
  );
  const problem = form.error ?? previewProblem;
  return (
    <form onSubmit={form.submit}>
      <div class="inline-form">
        <Field label="Cron or rate" name={form.error ? "cron" : "query.cron"} error={problem} hint="minute hour day month weekday, or rate(15 minutes)">
          {(p) => <input {...p} value={cron} required onInput={(e) => setCron(e.currentTarget.value)} />}
        </Field>
        <Field label="Time zone" name={form.error ? "timezone" : "query.timezone"} error={problem} hint="IANA, e.g. Europe/Berlin">
          {(p) => <input {...p} value={timezone} required onInput={(e) => setTimezone(e.currentTarget.value)} />}
        </Field>
        <Action type="submit" needs="sources:write" disabled={form.busy}>
          Add schedule
        </Action>
      </div>
      {preview && (
        <div class="preview" aria-live="polite">
          <p>Next runs:</p>
          <ol>
            {preview.next_runs.map((at) => (
              <li key={at}>
                <When at={at} />
              </li>
            ))}
          </ol>
        </div>
      )}
      <ErrorBox error={form.error} />
    </form>
  );
}
