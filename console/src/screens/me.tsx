// Who I am: identity, how I signed in, the org in use, my role there and
// every permission it grants (and those it does not).

import { useApp } from "../app";
import { Section } from "../ui";
import { PERMISSIONS } from "../api";


const METHOD = { development: "development token", oidc: "single sign-on (OIDC)", api_key: "API key" } as const;

export function MeScreen() {
  const { me, orgs, config } = useApp();
  const org = orgs.find((o) => o.id === me.org_id);
  return (
    <>
      <h1>My access</h1>
      <Section title="Who I am">
        <dl class="facts">
          <dt>User</dt>
          <dd>
            <code>{me.id}</code>
          </dd>
          <dt>Email</dt>
          <dd>{me.email ?? "—"}</dd>
          <dt>Signed in with</dt>
          <dd>{METHOD[me.authentication]}</dd>
          <dt>Organization</dt>
          <dd>{org ? `${org.name} (${org.id})` : "none"}</dd>
          <dt>Role</dt>
          <dd>{me.role ?? "—"}</dd>
          <dt>API</dt>
          <dd>
            <code>{config.api_base}</code> · <a href="v1/docs">reference</a>
          </dd>
        </dl>
      </Section>
      <Section title="Permissions">
        <ul class="permissions">
          {PERMISSIONS.map((p) => {
            const granted = me.permissions.includes(p);
            return (
              <li key={p} class={granted ? "granted" : "denied"}>
                <span aria-hidden="true">{granted ? "✓" : "✗"}</span> <code>{p}</code>
                <span class="sr-only">{granted ? " granted" : " not granted"}</span>
              </li>
            );
          })}
        </ul>
      </Section>
    </>
  );
}
