// Usage, quotas and budgets of one project: each service's use by day and
// by month, its quota as a bar with the 80/90/100 % marks, the month's cost
// and its projection, and the budget with its alert thresholds.

import { useEffect, useState } from "preact/hooks";
import { unwrap, type Schemas } from "../api";
import { useApp } from "../app";
import { Action, BarChart, Empty, ErrorBox, Field, Section, Table, useSubmit } from "../ui";
import { ProjectPicker } from "./projects";
import { ifMatch } from "./org";

type Service = Schemas["Service"];
const SERVICES: Service[] = ["api_requests", "storage_bytes", "bandwidth_bytes", "functions_invocations", "db_rows", "mcp_calls"];
const label = (s: string) => s.replace(/_/g, " ");
const dollars = (cents: number) => `$${(cents / 100).toFixed(2)}`;
/** A unit price, per million units (a byte's or a request's alone is a tiny fraction of a cent). */
const perMillion = (usd: number) => `$${Number((usd * 1e6).toPrecision(3))} per million`;

export function UsageScreen() {
  const [project, setProject] = useState("");
  return (
    <>
      <h1>Usage &amp; budgets</h1>
      <div class="filters">
        <ProjectPicker value={project} onChange={setProject} />
      </div>
      {project ? <ProjectUsage key={project} project={project} /> : <Empty>Create a project to see its usage.</Empty>}
    </>
  );
}

function ProjectUsage({ project }: { project: string }) {
  const { api } = useApp();
  const [period, setPeriod] = useState<"day" | "month">("day");
  const [report, setReport] = useState<Schemas["UsageReport"] | null>(null);
  const [quotas, setQuotas] = useState<Schemas["Quotas"] | null>(null);
  const [cost, setCost] = useState<Schemas["CostEstimate"] | null>(null);
  const [budget, setBudget] = useState<Schemas["Budget"] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const path = { project_id: project };
  const load = async () => {
    try {
      const from = new Date(Date.now() - (period === "day" ? 30 : 365) * 86_400_000).toISOString();
      setReport(unwrap(await api.client.GET("/v1/usage/{project_id}", { params: { path, query: { period, from } } })));
      setQuotas(unwrap(await api.client.GET("/v1/quotas/{project_id}", { params: { path } })));
      setCost(unwrap(await api.client.GET("/v1/usage/{project_id}/cost-estimate", { params: { path } })));
      setBudget(unwrap(await api.client.GET("/v1/budgets/{project_id}", { params: { path } })));
      setError(null);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    load();
  }, [period]);
  const used = (service: Service) => cost?.services.find((s) => s.service === service)?.used ?? 0;
  return (
    <>
      <ErrorBox error={error} />
      <Section
        title="Use by service"
        actions={
          <Field label="Period" name="query.period">
            {(p) => (
              <select {...p} value={period} onChange={(e) => setPeriod(e.currentTarget.value as "day" | "month")}>
                <option value="day">By day (30 days)</option>
                <option value="month">By month (12 months)</option>
              </select>
            )}
          </Field>
        }
      >
        {report && report.data.length === 0 && <Empty>No usage recorded in this period.</Empty>}
        <div class="charts">
          {report &&
            SERVICES.filter((s) => report.data.some((p) => p.service === s)).map((service) => (
              <BarChart
                key={service}
                title={`${label(service)} by ${period}`}
                series={[label(service)]}
                bars={report.data
                  .filter((p) => p.service === service)
                  .map((p) => ({ label: p.bucket.slice(0, period === "day" ? 10 : 7), values: [p.amount] }))}
              />
            ))}
        </div>
      </Section>
      {quotas && <QuotaBars quotas={quotas} used={used} onSaved={setQuotas} />}
      {cost && <Cost cost={cost} />}
      {budget && <BudgetForm budget={budget} onSaved={(b) => (setBudget(b), load())} />}
    </>
  );
}

function QuotaBars({
  quotas,
  used,
  onSaved,
}: {
  quotas: Schemas["Quotas"];
  used: (s: Service) => number;
  onSaved: (q: Schemas["Quotas"]) => void;
}) {
  const { api } = useApp();
  const [limits, setLimits] = useState<Record<string, string>>(() =>
    Object.fromEntries(SERVICES.map((s) => [s, String(quotas.services[s]?.monthly_limit ?? "")])),
  );
  const save = useSubmit(
    async () =>
      unwrap(
        await api.client.PUT("/v1/quotas/{project_id}", {
          params: { path: { project_id: quotas.project_id }, header: { "If-Match": ifMatch(quotas.version) } },
          body: {
            services: Object.fromEntries(
              SERVICES.map((s) => [s, { enabled: quotas.services[s]?.enabled ?? true, monthly_limit: limits[s] ? Number(limits[s]) : null }]),
            ),
          },
        }),
      ),
    onSaved,
  );
  return (
    <Section title="Quotas this month">
      <ul class="quotas">
        {SERVICES.map((service) => {
          const quota = quotas.services[service];
          const limit = quota?.monthly_limit ?? null;
          const value = used(service);
          const percent = limit ? Math.min(100, (value / limit) * 100) : 0;
          const level = limit ? (value >= limit ? "over" : percent >= 90 ? "high" : percent >= 80 ? "warn" : "ok") : "ok";
          return (
            <li key={service}>
              <div class="quota-head">
                <span>{label(service)}</span>
                <span>
                  {value.toLocaleString()} / {limit === null ? "no limit" : limit.toLocaleString()}
                  {quota && !quota.enabled && " (disabled)"}
                </span>
              </div>
              {limit !== null && (
                <div
                  class={`meter ${level}`}
                  role="meter"
                  aria-label={`${label(service)} quota used`}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={Math.round(percent)}
                >
                  <div class="fill" style={{ width: `${percent}%` }} />
                  <i class="mark" style={{ left: "80%" }} title="80 %" />
                  <i class="mark" style={{ left: "90%" }} title="90 %" />
                </div>
              )}
              <Field label={`Monthly limit for ${label(service)}`} name={`services.${service}.monthly_limit`} error={save.error}>
                {(p) => (
                  <input
                    {...p}
                    class="wide-number"
                    type="number"
                    min={0}
                    placeholder="none"
                    value={limits[service]}
                    onInput={(e) => setLimits({ ...limits, [service]: e.currentTarget.value })}
                  />
                )}
              </Field>
            </li>
          );
        })}
      </ul>
      <Action needs="quotas:write" disabled={save.busy} onClick={() => save.submit()}>
        Save quotas
      </Action>
      <ErrorBox error={save.error} />
    </Section>
  );
}

function Cost({ cost }: { cost: Schemas["CostEstimate"] }) {
  return (
    <Section title={`Cost for ${cost.period}`}>
      <dl class="facts">
        <dt>Month to date</dt>
        <dd>{dollars(cost.month_to_date_cents)}</dd>
        <dt>Projected</dt>
        <dd>{dollars(cost.projected_cents)}</dd>
        <dt>Budget</dt>
        <dd>{cost.budget_cents == null ? "none" : dollars(cost.budget_cents)}</dd>
      </dl>
      {cost.warnings.map((w) => (
        <p class="warning" key={w.threshold}>
          {w.threshold} %: {w.message}
        </p>
      ))}
      <Table head={["Service", "Used", "Unit price", "To date", "Projected"]} caption="Cost by service">
        {cost.services.map((s) => (
          <tr key={s.service}>
            <th scope="row">{label(s.service)}</th>
            <td>{s.used.toLocaleString()}</td>
            <td>{perMillion(s.unit_price_usd)}</td>
            <td>{dollars(s.month_to_date_cents)}</td>
            <td>{dollars(s.projected_cents)}</td>
          </tr>
        ))}
      </Table>
    </Section>
  );
}

function BudgetForm({ budget, onSaved }: { budget: Schemas["Budget"]; onSaved: (b: Schemas["Budget"]) => void }) {
  const { api } = useApp();
  const [amount, setAmount] = useState(budget.monthly_amount_cents == null ? "" : String(budget.monthly_amount_cents / 100));
  const [thresholds, setThresholds] = useState(budget.alert_thresholds.join(", "));
  const save = useSubmit(
    async () =>
      unwrap(
        await api.client.PUT("/v1/budgets/{project_id}", {
          params: { path: { project_id: budget.project_id }, header: { "If-Match": ifMatch(budget.version) } },
          body: {
            monthly_amount_cents: amount === "" ? null : Math.round(Number(amount) * 100),
            alert_thresholds: thresholds.split(/[\s,]+/).filter(Boolean).map(Number),
          },
        }),
      ),
    onSaved,
  );
  return (
    <Section title="Budget">
      <form onSubmit={save.submit} class="inline-form">
        <Field label="Monthly budget (USD)" name="monthly_amount_cents" error={save.error}>
          {(p) => <input {...p} type="number" min={0} step="0.01" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />}
        </Field>
        <Field label="Alert thresholds (%)" name="alert_thresholds" error={save.error} hint="e.g. 50, 80, 100">
          {(p) => <input {...p} value={thresholds} onInput={(e) => setThresholds(e.currentTarget.value)} />}
        </Field>
        <Action type="submit" needs="quotas:write" disabled={save.busy}>
          Save budget
        </Action>
      </form>
      <ErrorBox error={save.error} />
    </Section>
  );
}
