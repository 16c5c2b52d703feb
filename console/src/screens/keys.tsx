// API keys: create by type and scopes (the token revealed once), rotate
// with a grace period, revoke, enable or disable, delete, and each key's
// use by day.

import { useEffect, useState } from "preact/hooks";
import { unwrap, type Schemas } from "../api";
import { useApp } from "../app";
import { conditional, useSpec } from "../spec";
import { Action, BarChart, Confirm, Empty, ErrorBox, Field, Listing, Reveal, Section, Status, useAction, usePaged, useSubmit, When } from "../ui";
import { ProjectPicker } from "./projects";
import { ifMatch } from "./org";

type Key = Schemas["ApiKey"];
type KeyType = Schemas["KeyType"];
const TYPES: [KeyType, string][] = [
  ["secret", "Secret: server-side, limited to its scopes"],
  ["public", "Public: client-safe, read-only"],
  ["service_role", "Service role: everything in its project its creator may do"],
  ["mcp", "MCP: for agents at the MCP gateway, with tool scopes"],
];

export function KeysScreen() {
  const { api } = useApp();
  const [project, setProject] = useState("");
  const [revealed, setRevealed] = useState<{ label: string; token: string } | null>(null);
  const list = usePaged(
    async (cursor) => unwrap(await api.client.GET("/v1/keys", { params: { query: { cursor, project_id: project || undefined } } })),
    [api, project],
  );
  return (
    <>
      <h1>API keys</h1>
      {revealed && <Reveal label={revealed.label} secret={revealed.token} onDone={() => setRevealed(null)} />}
      <CreateKey
        onCreated={(key) => {
          if (key.token) setRevealed({ label: `New key ${key.name}`, token: key.token });
          list.reload();
        }}
      />
      <Section title="Keys">
        <div class="filters">
          <ProjectPicker any value={project} onChange={setProject} />
        </div>
        <Listing list={list} empty="No keys yet.">
          <ul class="items">
            {list.items.map((key) => (
              <KeyItem
                key={key.id}
                apiKey={key}
                onChanged={list.reload}
                onRotated={(token) => setRevealed({ label: `Rotated key ${key.name}`, token })}
              />
            ))}
          </ul>
        </Listing>
      </Section>
    </>
  );
}

function CreateKey({ onCreated }: { onCreated: (key: Schemas["CreatedKey"]) => void }) {
  const { api } = useApp();
  const spec = useSpec();
  const [name, setName] = useState("");
  const [project, setProject] = useState("");
  const [type, setType] = useState<KeyType>("secret");
  const [scopes, setScopes] = useState<string[]>([]);
  const [tools, setTools] = useState("");
  const [expires, setExpires] = useState("");
  const allowed = spec ? ((conditional(spec, "CreateKey", "type", type, "scopes")?.items?.enum ?? []) as string[]) : [];
  useEffect(() => setScopes([]), [type]);
  const form = useSubmit(
    async () => {
      const chosen =
        type === "mcp" ? tools.split(/[\s,]+/).filter(Boolean).map((t) => (t === "*" ? "mcp:*" : `mcp:tool:${t}`)) : scopes;
      return unwrap(
        await api.client.POST("/v1/keys", {
          body: {
            name,
            project_id: project,
            type,
            scopes: chosen as Schemas["Scope"][],
            expires_at: expires ? new Date(expires).toISOString() : null,
          },
        }),
      );
    },
    (key) => {
      setName("");
      onCreated(key);
    },
  );
  return (
    <Section title="New key">
      <form onSubmit={form.submit}>
        <div class="inline-form">
          <Field label="Name" name="name" error={form.error}>
            {(p) => <input {...p} value={name} required onInput={(e) => setName(e.currentTarget.value)} />}
          </Field>
          <ProjectPicker value={project} onChange={setProject} error={form.error} />
          <Field label="Type" name="type" error={form.error}>
            {(p) => (
              <select {...p} value={type} onChange={(e) => setType(e.currentTarget.value as KeyType)}>
                {TYPES.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Expires (optional)" name="expires_at" error={form.error}>
            {(p) => <input {...p} type="datetime-local" value={expires} onInput={(e) => setExpires(e.currentTarget.value)} />}
          </Field>
        </div>
        {type === "mcp" ? (
          <Field
            label="Tools"
            name="scopes"
            error={form.error}
            hint="Tool names separated by spaces (each becomes mcp:tool:<name>), or * for every tool."
          >
            {(p) => <input {...p} value={tools} required onInput={(e) => setTools(e.currentTarget.value)} />}
          </Field>
        ) : (
          <fieldset class="checks">
            <legend>Scopes</legend>
            {allowed.map((scope) => (
              <label key={scope}>
                <input
                  type="checkbox"
                  checked={scopes.includes(scope)}
                  onChange={(e) =>
                    setScopes(e.currentTarget.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))
                  }
                />{" "}
                <code>{scope}</code>
              </label>
            ))}
          </fieldset>
        )}
        <Action type="submit" needs="keys:manage" disabled={form.busy}>
          Create key
        </Action>
      </form>
      <ErrorBox error={form.error} />
    </Section>
  );
}

function KeyItem({ apiKey: key, onChanged, onRotated }: { apiKey: Key; onChanged: () => void; onRotated: (t: string) => void }) {
  const { api } = useApp();
  const [grace, setGrace] = useState("3600");
  const [usage, setUsage] = useState<Schemas["Usage"] | null>(null);
  const action = useAction(onChanged);
  const path = { key_id: key.id };
  const revoked = !!key.revoked_at;
  const toggle = () =>
    action.run(async () =>
      unwrap(
        await api.client.PATCH("/v1/keys/{key_id}", {
          params: { path, header: { "If-Match": ifMatch(key.version) } },
          body: { enabled: !key.enabled },
        }),
      ),
    );
  const usageAction = useAction();
  const showUsage = () =>
    usageAction.run(async () =>
      setUsage(unwrap(await api.client.GET("/v1/keys/{key_id}/usage", { params: { path, query: { days: 30 } } }))),
    );
  const problem = action.error ?? usageAction.error;
  return (
    <li class="item" data-key={key.name}>
      <div class="item-head">
        <h3>{key.name}</h3>
        <Status value={revoked ? "revoked" : key.enabled ? "enabled" : "disabled"} />
        <span class="tag">{key.type}</span>
      </div>
      <p class="muted">
        <code>
          {key.prefix}…{key.last4}
        </code>{" "}
        · {key.scopes.join(", ") || "no scopes"} · created <When at={key.created_at} />
        {key.expires_at && (
          <>
            {" "}
            · expires <When at={key.expires_at} />
          </>
        )}
        {key.previous_token_valid_until && (
          <>
            {" "}
            · previous token valid until <When at={key.previous_token_valid_until} />
          </>
        )}
      </p>
      {!revoked && (
        <div class="row">
          <Field label="Grace (s)" name="query.grace_seconds" error={problem}>
            {(p) => <input {...p} class="narrow" type="number" min={0} value={grace} onInput={(e) => setGrace(e.currentTarget.value)} />}
          </Field>
          <Confirm
            label="Rotate"
            danger={false}
            needs="keys:manage"
            question={`Issue a new token for ${key.name}? The current one keeps working for ${grace} seconds.`}
            onConfirm={async () => {
              const rotated = unwrap(
                await api.client.PUT("/v1/keys/{key_id}/rotate", {
                  params: { path, query: { grace_seconds: Number(grace) } },
                }),
              );
              if (rotated.token) onRotated(rotated.token);
              onChanged();
            }}
          />
          <Action needs="keys:manage" onClick={toggle}>
            {key.enabled ? "Disable" : "Enable"}
          </Action>
          <Confirm
            label="Revoke"
            needs="keys:manage"
            question={`Revoke ${key.name}? Every request with it is refused from now on; this cannot be undone.`}
            onConfirm={async () => {
              unwrap(await api.client.DELETE("/v1/keys/{key_id}/revoke", { params: { path } }));
              onChanged();
            }}
          />
          <Confirm
            label="Delete"
            needs="keys:manage"
            question={`Delete ${key.name}? It is revoked and removed from this list.`}
            onConfirm={async () => {
              unwrap(await api.client.DELETE("/v1/keys/{key_id}", { params: { path } }));
              onChanged();
            }}
          />
          <button type="button" onClick={showUsage}>
            Usage
          </button>
        </div>
      )}
      <ErrorBox error={problem} />
      {usage && (
        <div>
          <p class="muted">
            Last used <When at={usage.last_used_at} />
            {usage.last_used_ip && ` from ${usage.last_used_ip}`}
          </p>
          {usage.days.length === 0 ? (
            <Empty>No requests in the last 30 days.</Empty>
          ) : (
            <BarChart
              title={`Requests with ${key.name} by day`}
              series={["reads", "writes"]}
              bars={[...usage.days].reverse().map((d) => ({ label: d.date, values: [d.read, d.write] }))}
            />
          )}
        </div>
      )}
    </li>
  );
}
