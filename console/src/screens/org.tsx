// The organization: its name, members and their roles, and the roles
// matrix (owners edit it).

import { useEffect, useState } from "preact/hooks";
import { PERMISSIONS, unwrap, type Permission, type Schemas } from "../api";
import { useApp, useCan } from "../app";
import { Action, Confirm, Empty, ErrorBox, Field, More, Section, Table, useAction, usePaged, useSubmit, When } from "../ui";

export const ifMatch = (version: number) => `"${version}"`;

/** Shown until the user belongs to an org: create the first one. */
export function NoOrg() {
  return (
    <>
      <h1>Welcome</h1>
      <p>You do not belong to an organization yet. Create one to start; you will be its owner.</p>
      <CreateOrg />
    </>
  );
}

function CreateOrg() {
  const { api, switchOrg } = useApp();
  const [name, setName] = useState("");
  const form = useSubmit(
    async () => unwrap(await api.client.POST("/v1/orgs", { body: { name } })),
    (org) => switchOrg(org.id),
  );
  return (
    <Section title="New organization">
      <form onSubmit={form.submit} class="inline-form">
        <Field label="Name" name="name" error={form.error}>
          {(p) => <input {...p} value={name} required onInput={(e) => setName(e.currentTarget.value)} />}
        </Field>
        <button type="submit" class="primary" disabled={form.busy}>
          Create organization
        </button>
      </form>
      <ErrorBox error={form.error} />
    </Section>
  );
}

export function OrgScreen() {
  const { api, me } = useApp();
  const org = me.org_id!;
  const [details, setDetails] = useState<Schemas["Org"] | null>(null);
  const [roles, setRoles] = useState<Schemas["Roles"] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = async () => {
    try {
      setDetails(unwrap(await api.client.GET("/v1/orgs/{org_id}", { params: { path: { org_id: org } } })));
      setRoles(unwrap(await api.client.GET("/v1/orgs/{org_id}/roles", { params: { path: { org_id: org } } })));
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    reload();
  }, [org]);
  return (
    <>
      <h1>{details?.name ?? "Organization"}</h1>
      <ErrorBox error={error} />
      {details && <OrgDetails org={details} onSaved={setDetails} />}
      <Members roles={roles?.roles.map((r) => r.name) ?? []} />
      {roles && <RolesMatrix roles={roles} onSaved={setRoles} />}
      <CreateOrg />
    </>
  );
}

function OrgDetails({ org, onSaved }: { org: Schemas["Org"]; onSaved: (o: Schemas["Org"]) => void }) {
  const { api, refresh } = useApp();
  const [name, setName] = useState(org.name);
  const form = useSubmit(
    async () =>
      unwrap(
        await api.client.PATCH("/v1/orgs/{org_id}", {
          params: { path: { org_id: org.id }, header: { "If-Match": ifMatch(org.version) } },
          body: { name },
        }),
      ),
    (saved) => {
      onSaved(saved);
      refresh();
    },
  );
  return (
    <Section title="Details">
      <dl class="facts">
        <dt>Id</dt>
        <dd>
          <code>{org.id}</code>
        </dd>
        <dt>Plan</dt>
        <dd>{org.plan ?? "free"}</dd>
        <dt>Audit retention</dt>
        <dd>{org.audit_retention_days ?? 365} days</dd>
        <dt>Created</dt>
        <dd>
          <When at={org.created_at} />
        </dd>
      </dl>
      <form onSubmit={form.submit} class="inline-form">
        <Field label="Name" name="name" error={form.error}>
          {(p) => <input {...p} value={name} required onInput={(e) => setName(e.currentTarget.value)} />}
        </Field>
        <Action type="submit" needs="org:update" disabled={form.busy || name === org.name}>
          Rename
        </Action>
      </form>
      <ErrorBox error={form.error} />
    </Section>
  );
}

function Members({ roles }: { roles: string[] }) {
  const { api, me, refresh } = useApp();
  const org = me.org_id!;
  const list = usePaged(
    async (cursor) =>
      unwrap(await api.client.GET("/v1/orgs/{org_id}/members", { params: { path: { org_id: org }, query: { cursor } } })),
    [org],
  );
  const [who, setWho] = useState("");
  const [role, setRole] = useState("viewer");
  const action = useAction(list.reload);
  const problem = action.error;
  const invite = useSubmit(
    async () => {
      const body = who.includes("@") ? { email: who.trim(), role } : { user_id: who.trim(), role };
      return unwrap(await api.client.POST("/v1/orgs/{org_id}/members", { params: { path: { org_id: org } }, body }));
    },
    () => {
      setWho("");
      list.reload();
    },
  );
  const change = (member: Schemas["Member"], next: string) =>
    action.run(async () => {
      unwrap(
        await api.client.PATCH("/v1/orgs/{org_id}/members/{user_id}", {
          params: { path: { org_id: org, user_id: member.user_id }, header: { "If-Match": ifMatch(member.version) } },
          body: { role: next },
        }),
      );
      if (member.user_id === me.id) await refresh();
    });
  return (
    <Section title="Members">
      <ErrorBox error={list.error ?? problem} />
      <Table head={["Member", "Role", "Added", ""]} caption="Members">
        {list.items.map((m) => (
          <tr key={m.user_id}>
            <td>
              {m.email ?? m.user_id}
              {m.email && <div class="muted">{m.user_id}</div>}
            </td>
            <td>
              <RoleSelect
                label={`Role of ${m.email ?? m.user_id}`}
                roles={roles}
                value={m.role}
                onChange={(r) => change(m, r)}
              />
            </td>
            <td>
              <When at={m.created_at} />
            </td>
            <td>
              <Confirm
                label="Remove"
                needs="members:manage"
                question={`Remove ${m.email ?? m.user_id} from the organization? Their keys stop working.`}
                onConfirm={async () => {
                  unwrap(
                    await api.client.DELETE("/v1/orgs/{org_id}/members/{user_id}", {
                      params: { path: { org_id: org, user_id: m.user_id } },
                    }),
                  );
                  list.reload();
                }}
              />
            </td>
          </tr>
        ))}
      </Table>
      <More list={list} />
      <h3>Invite</h3>
      <form onSubmit={invite.submit} class="inline-form">
        <Field label="Email or user id" name={who.includes("@") ? "email" : "user_id"} error={invite.error}>
          {(p) => <input {...p} value={who} required onInput={(e) => setWho(e.currentTarget.value)} />}
        </Field>
        <Field label="Role" name="role" error={invite.error}>
          {(p) => (
            <select {...p} value={role} onChange={(e) => setRole(e.currentTarget.value)}>
              {roles.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          )}
        </Field>
        <Action type="submit" needs="members:manage" disabled={invite.busy}>
          Invite
        </Action>
      </form>
      <ErrorBox error={invite.error} />
    </Section>
  );
}

function RoleSelect({
  label,
  roles,
  value,
  onChange,
}: {
  label: string;
  roles: string[];
  value: string;
  onChange: (role: string) => void;
}) {
  const can = useCan();
  return (
    <select
      aria-label={label}
      value={value}
      disabled={!can("members:manage")}
      onChange={(e) => onChange(e.currentTarget.value)}
    >
      {[...new Set([...roles, value])].map((r) => (
        <option key={r}>{r}</option>
      ))}
    </select>
  );
}


function RolesMatrix({ roles, onSaved }: { roles: Schemas["Roles"]; onSaved: (r: Schemas["Roles"]) => void }) {
  const { api, me, refresh } = useApp();
  const can = useCan();
  const editable = can("roles:manage");
  const [grants, setGrants] = useState(() => Object.fromEntries(roles.roles.map((r) => [r.name, new Set(r.permissions)])));
  useEffect(() => setGrants(Object.fromEntries(roles.roles.map((r) => [r.name, new Set(r.permissions)]))), [roles]);
  const toggle = (role: string, permission: Permission) => {
    const next = new Set(grants[role]);
    if (next.has(permission)) next.delete(permission);
    else next.add(permission);
    setGrants({ ...grants, [role]: next });
  };
  const save = useSubmit(
    async () =>
      unwrap(
        await api.client.PUT("/v1/orgs/{org_id}/roles", {
          params: { path: { org_id: me.org_id! }, header: { "If-Match": ifMatch(roles.version) } },
          body: { roles: Object.fromEntries(Object.entries(grants).map(([r, set]) => [r, [...set] as Permission[]])) },
        }),
      ),
    (saved) => {
      onSaved(saved);
      refresh();
    },
  );
  return (
    <Section title="Roles and permissions">
      <div class="scroll" role="region" aria-label="What each role grants" tabIndex={0}>
        <table class="matrix">
          <caption class="sr-only">What each role grants</caption>
          <thead>
            <tr>
              <th scope="col">Permission</th>
              {roles.roles.map((r) => (
                <th scope="col" key={r.name}>
                  {r.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {PERMISSIONS.map((p) => (
              <tr key={p}>
                <th scope="row">
                  <code>{p}</code>
                </th>
                {roles.roles.map((r) => (
                  <td key={r.name}>
                    <input
                      type="checkbox"
                      aria-label={`${r.name} grants ${p}`}
                      checked={grants[r.name]?.has(p) ?? false}
                      disabled={!editable || !r.editable}
                      onChange={() => toggle(r.name, p)}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editable ? (
        <button type="button" class="primary" disabled={save.busy} onClick={() => save.submit()}>
          Save roles
        </button>
      ) : (
        <Empty>Only owners edit roles.</Empty>
      )}
      <ErrorBox error={save.error} />
    </Section>
  );
}
