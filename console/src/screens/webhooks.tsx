// Webhooks: create with event types from the catalogue, edit, enable or
// disable, rotate the signing secret (shown once), send a test, and the
// delivery log with each attempt and redelivery.

import { useEffect, useState } from "preact/hooks";
import { unwrap, type Schemas } from "../api";
import { useApp } from "../app";
import { go } from "../route";
import { useSpec } from "../spec";
import { Action, Confirm, ErrorBox, Field, FieldMessage, Listing, Reveal, Section, Status, Table, useAction, usePaged, usePolling, useSubmit, When } from "../ui";
import { ifMatch } from "./org";
import { ProjectPicker } from "./projects";

type Webhook = Schemas["Webhook"];
type EventPattern = Schemas["EventPattern"];

export function WebhooksScreen() {
  const { api } = useApp();
  const [secret, setSecret] = useState<{ label: string; token: string } | null>(null);
  const list = usePaged(async (cursor) => unwrap(await api.client.GET("/v1/webhooks", { params: { query: { cursor } } })), [api]);
  return (
    <>
      <h1>Webhooks</h1>
      {secret && <Reveal label={secret.label} secret={secret.token} onDone={() => setSecret(null)} />}
      <WebhookForm
        onSaved={(hook) => {
          if ("secret" in hook && hook.secret) setSecret({ label: `Signing secret of ${hook.url}`, token: hook.secret });
          list.reload();
        }}
      />
      <Section title="Endpoints">
        <Listing list={list} empty="No webhooks yet.">
          <ul class="items">
            {list.items.map((hook) => (
              <li class="item" key={hook.id}>
                <div class="item-head">
                  <h3>
                    <a href={`#/webhooks/${hook.id}`}>{hook.url}</a>
                  </h3>
                  <Status value={hook.enabled ? "enabled" : "disabled"} />
                </div>
                <p class="muted">
                  {hook.event_types.join(", ")}
                  {hook.description && ` · ${hook.description}`}
                </p>
              </li>
            ))}
          </ul>
        </Listing>
      </Section>
    </>
  );
}

function EventPicker({ value, onChange, error }: { value: EventPattern[]; onChange: (v: EventPattern[]) => void; error: unknown }) {
  const spec = useSpec();
  const catalogue = (spec?.components.schemas.EventPattern?.enum ?? []) as EventPattern[];
  return (
    <fieldset class="checks">
      <legend>Event types</legend>
      {catalogue.map((pattern) => (
        <label key={pattern}>
          <input
            type="checkbox"
            checked={value.includes(pattern)}
            onChange={(e) => onChange(e.currentTarget.checked ? [...value, pattern] : value.filter((p) => p !== pattern))}
          />{" "}
          <code>{pattern}</code>
        </label>
      ))}
      <FieldMessage name="event_types" error={error} />
    </fieldset>
  );
}

function WebhookForm({ hook, onSaved }: { hook?: Webhook; onSaved: (h: Webhook | Schemas["WebhookWithSecret"]) => void }) {
  const { api } = useApp();
  const [url, setUrl] = useState(hook?.url ?? "");
  const [project, setProject] = useState(hook?.project_id ?? "");
  const [description, setDescription] = useState(hook?.description ?? "");
  const [events, setEvents] = useState<EventPattern[]>((hook?.event_types as EventPattern[]) ?? ["project.*"]);
  const form = useSubmit(
    async () =>
      hook
        ? unwrap(
            await api.client.PATCH("/v1/webhooks/{webhook_id}", {
              params: { path: { webhook_id: hook.id }, header: { "If-Match": ifMatch(hook.version) } },
              body: { url, description: description || null, event_types: events },
            }),
          )
        : unwrap(
            await api.client.POST("/v1/webhooks", {
              body: { url, project_id: project, description: description || null, event_types: events },
            }),
          ),
    (saved) => {
      if (!hook) setUrl("");
      onSaved(saved);
    },
  );
  return (
    <Section title={hook ? "Settings" : "New webhook"}>
      <form onSubmit={form.submit}>
        <div class="inline-form">
          <Field label="Endpoint URL" name="url" error={form.error} hint="https://…; deliveries are signed (Standard Webhooks).">
            {(p) => <input {...p} type="url" value={url} required onInput={(e) => setUrl(e.currentTarget.value)} />}
          </Field>
          {!hook && <ProjectPicker value={project} onChange={setProject} error={form.error} />}
          <Field label="Description" name="description" error={form.error}>
            {(p) => <input {...p} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />}
          </Field>
        </div>
        <EventPicker value={events} onChange={setEvents} error={form.error} />
        <Action type="submit" needs="webhooks:manage" disabled={form.busy}>
          {hook ? "Save" : "Create webhook"}
        </Action>
      </form>
      <ErrorBox error={form.error} />
    </Section>
  );
}

const totalAttempts = (deliveries: Schemas["WebhookDelivery"][]) =>
  deliveries.reduce((sum, d) => sum + Math.max(1, d.attempts.length), 0);

export function WebhookScreen({ id }: { id: string }) {
  const { api } = useApp();
  const [hook, setHook] = useState<Webhook | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const path = { webhook_id: id };
  const load = async () => {
    try {
      setHook(unwrap(await api.client.GET("/v1/webhooks/{webhook_id}", { params: { path } })));
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    load();
  }, [id]);
  const deliveries = usePaged(
    async (cursor) => unwrap(await api.client.GET("/v1/webhooks/{webhook_id}/deliveries", { params: { path, query: { cursor } } })),
    [api, id],
  );
  // After a test or a redelivery, the log is followed until the new
  // attempt is in it and nothing is pending.
  const [expected, setExpected] = useState(0);
  const following = deliveries.items.some((d) => d.status === "pending") || totalAttempts(deliveries.items) < expected;
  usePolling(following, deliveries.reload);
  const act = useAction(async () => {
    await load();
    deliveries.reload();
  });
  const run = (work: () => Promise<unknown>, delivers = false) =>
    act.run(async () => {
      await work();
      if (delivers) setExpected(totalAttempts(deliveries.items) + 1);
    });
  if (!hook) return <ErrorBox error={error} />;
  return (
    <>
      <p>
        <a href="#/webhooks">← Webhooks</a>
      </p>
      <h1>{hook.url}</h1>
      {secret && <Reveal label="New signing secret" secret={secret} onDone={() => setSecret(null)} />}
      <div class="row">
        <Status value={hook.enabled ? "enabled" : "disabled"} />
        {hook.disabled_reason && <span class="problem">{hook.disabled_reason}</span>}
        {hook.previous_secret_valid_until && (
          <span class="muted">
            previous secret valid until <When at={hook.previous_secret_valid_until} />
          </span>
        )}
      </div>
      <div class="row">
        <Action
          needs="webhooks:manage"
          onClick={() => run(async () => unwrap(await api.client.POST("/v1/webhooks/{webhook_id}/test", { params: { path } })), true)}
        >
          Send test event
        </Action>
        <Action
          needs="webhooks:manage"
          onClick={() =>
            run(async () =>
              unwrap(
                await api.client.PATCH("/v1/webhooks/{webhook_id}", {
                  params: { path, header: { "If-Match": ifMatch(hook.version) } },
                  body: { enabled: !hook.enabled },
                }),
              ),
            )
          }
        >
          {hook.enabled ? "Disable" : "Enable"}
        </Action>
        <Confirm
          label="Rotate secret"
          danger={false}
          needs="webhooks:manage"
          question="Make a new signing secret? Deliveries carry signatures with both for a grace period."
          onConfirm={async () => {
            const rotated = unwrap(await api.client.POST("/v1/webhooks/{webhook_id}/rotate-secret", { params: { path } }));
            if (rotated.secret) setSecret(rotated.secret);
            await load();
          }}
        />
        <Confirm
          label="Delete"
          needs="webhooks:manage"
          question="Delete this webhook? Pending deliveries are dropped."
          onConfirm={async () => {
            unwrap(await api.client.DELETE("/v1/webhooks/{webhook_id}", { params: { path } }));
            go("webhooks");
          }}
        />
      </div>
      <ErrorBox error={act.error} />
      <WebhookForm key={hook.version} hook={hook} onSaved={(h) => setHook(h)} />
      <Section title="Deliveries" actions={<button type="button" onClick={deliveries.reload}>Refresh</button>}>
        <Listing list={deliveries} empty="No deliveries yet.">
          <ul class="items">
            {deliveries.items.map((delivery) => (
              <li class="item" key={delivery.id} data-delivery={delivery.event_type}>
                <div class="item-head">
                  <h3>
                    <code>{delivery.event_type}</code>
                  </h3>
                  <Status value={delivery.status} />
                  <When at={delivery.created_at} />
                </div>
                <Table head={["Attempt", "At", "Response", "Latency"]} caption="Attempts">
                  {delivery.attempts.map((a) => (
                    <tr key={a.attempt}>
                      <td>{a.attempt}</td>
                      <td>
                        <When at={a.at} />
                      </td>
                      <td>
                        {a.response_status ?? "—"} {a.error && <span class="problem">{a.error}</span>}
                        {a.response_excerpt && <code class="muted"> {a.response_excerpt}</code>}
                      </td>
                      <td>{a.latency_ms} ms</td>
                    </tr>
                  ))}
                </Table>
                {delivery.next_retry_at && (
                  <p class="muted">
                    Next retry <When at={delivery.next_retry_at} />
                  </p>
                )}
                <Action
                  needs="webhooks:manage"
                  onClick={() =>
                    run(async () =>
                      unwrap(
                        await api.client.POST("/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver", {
                          params: { path: { webhook_id: id, delivery_id: delivery.id } },
                        }),
                      ),
                      true,
                    )
                  }
                >
                  Redeliver
                </Action>
              </li>
            ))}
          </ul>
        </Listing>
      </Section>
    </>
  );
}
