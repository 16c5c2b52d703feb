// The console's entry: loads its configuration, signs the user in (a
// development token, or OIDC with PKCE), then shows the screens for the org
// in use. Everything it shows comes from the public API with the user's
// own token.

import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { connect, describe, ProblemError, unwrap, type Me, type Schemas } from "./api";
import { App, type AppState } from "./app";
import { loadConfig, type ConsoleConfig } from "./config";
import { Route, useRoute } from "./route";
import { finishOidcSignIn, loadSession, saveSession, signOut, startOidcSignIn, type Session } from "./session";
import { ErrorBox } from "./ui";
import { AuditScreen } from "./screens/audit";
import { CredentialsScreen } from "./screens/credentials";
import { JobsScreen } from "./screens/jobs";
import { KeysScreen } from "./screens/keys";
import { MeScreen } from "./screens/me";
import { NoOrg, OrgScreen } from "./screens/org";
import { ProjectsScreen } from "./screens/projects";
import { SchedulesScreen } from "./screens/schedules";
import { SourceScreen, SourcesScreen } from "./screens/sources";
import { UsageScreen } from "./screens/usage";
import { WebhookScreen, WebhooksScreen } from "./screens/webhooks";

const NAV: [string, string][] = [
  ["org", "Organization"],
  ["projects", "Projects"],
  ["keys", "API keys"],
  ["usage", "Usage & budgets"],
  ["jobs", "Jobs"],
  ["audit", "Audit log"],
  ["webhooks", "Webhooks"],
  ["sources", "Sources"],
  ["schedules", "Schedules"],
  ["credentials", "Credentials"],
  ["me", "My access"],
];

function SignIn({ config, problem, onToken }: { config: ConsoleConfig; problem: unknown; onToken: (t: string) => void }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<unknown>(null);
  return (
    <main class="signin" id="main">
      <h1>Control plane console</h1>
      <ErrorBox error={problem ?? error} />
      {config.oidc && (
        <section class="card">
          <h2>Sign in with your organization</h2>
          <p>You will be sent to {config.oidc.issuer} and brought back here.</p>
          <button
            type="button"
            class="primary"
            onClick={() => startOidcSignIn(config.oidc!).catch(setError)}
          >
            Sign in with single sign-on
          </button>
        </section>
      )}
      {config.development_tokens && (
        <section class="card">
          <h2>Sign in with a development token</h2>
          <p>
            Make one on the machine that runs the server, then paste it here:
            <br />
            <code>cargo run -- token --sub you --email you@example.com</code>
          </p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (token.trim()) onToken(token.trim());
            }}
          >
            <div class="field">
              <label for="dev-token">Development token</label>
              <textarea
                id="dev-token"
                rows={3}
                value={token}
                autocomplete="off"
                spellcheck={false}
                onInput={(e) => setToken(e.currentTarget.value)}
              />
            </div>
            <button type="submit" class="primary">
              Sign in
            </button>
          </form>
          <p class="hint">The token stays in this tab's session storage and is forgotten when you sign out or close the tab.</p>
        </section>
      )}
      {!config.oidc && !config.development_tokens && <p>This server accepts no sign-in the console can offer.</p>}
    </main>
  );
}

function Screen({ route }: { route: Route }) {
  const [section, id, sub, subId] = route.parts;
  switch (section) {
    case "projects":
      return <ProjectsScreen />;
    case "keys":
      return <KeysScreen />;
    case "usage":
      return <UsageScreen />;
    case "jobs":
      return <JobsScreen />;
    case "audit":
      return <AuditScreen />;
    case "webhooks":
      return id ? <WebhookScreen id={id} /> : <WebhooksScreen />;
    case "sources":
      return id ? <SourceScreen id={id} evidence={sub === "evidence" ? subId : undefined} /> : <SourcesScreen />;
    case "schedules":
      return <SchedulesScreen />;
    case "credentials":
      return <CredentialsScreen />;
    case "me":
      return <MeScreen />;
    default:
      return <OrgScreen />;
  }
}

function Shell({ app, problem }: { app: AppState; problem: unknown }) {
  const route = useRoute();
  const section = route.parts[0] || "org";
  const [menu, setMenu] = useState(false);
  return (
    <App.Provider value={app}>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById("main")?.focus())}>
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Control plane</span>
        <label class="org-switch">
          <span class="sr-only">Organization</span>
          <select
            value={app.api.org ?? ""}
            onChange={(e) => app.switchOrg(e.currentTarget.value || null)}
            aria-label="Organization"
          >
            {app.orgs.length === 0 && <option value="">No organization</option>}
            {app.orgs.map((org) => (
              <option key={org.id} value={org.id}>
                {org.name}
              </option>
            ))}
          </select>
        </label>
        <span class="who">
          {app.me.email ?? app.me.id}
          {app.me.role && <span class="role"> · {app.me.role}</span>}
        </span>
        <button type="button" onClick={app.signOut}>
          Sign out
        </button>
        <button type="button" class="menu" aria-expanded={menu} aria-controls="nav" onClick={() => setMenu(!menu)}>
          Menu
        </button>
      </header>
      <div class="layout">
        <nav id="nav" class={menu ? "open" : ""} aria-label="Sections">
          <ul>
            {NAV.map(([key, label]) => (
              <li key={key}>
                <a href={`#/${key}`} aria-current={section === key ? "page" : undefined} onClick={() => setMenu(false)}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" tabIndex={-1}>
          <ErrorBox error={problem} />
          {app.me.org_id || section === "me" ? <Screen route={route} /> : <NoOrg />}
        </main>
      </div>
    </App.Provider>
  );
}

interface Standing {
  me: Me;
  orgs: Schemas["Org"][];
}

async function standing(base: string, session: Session): Promise<{ standing: Standing; org: string | null }> {
  const bare = connect(base, session.token, null);
  const orgs: Schemas["Org"][] = [];
  let cursor: string | undefined;
  do {
    const page = unwrap(await bare.client.GET("/v1/orgs", { params: { query: { limit: 200, cursor } } }));
    orgs.push(...page.data);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  const org = orgs.find((o) => o.id === session.org)?.id ?? orgs[0]?.id ?? null;
  const me = unwrap(await connect(base, session.token, org).client.GET("/v1/me"));
  return { standing: { me, orgs }, org };
}

function Console({ config }: { config: ConsoleConfig }) {
  const [session, setSession] = useState<Session | null>(loadSession);
  const [state, setState] = useState<Standing | null>(null);
  const [problem, setProblem] = useState<unknown>(null);

  const adopt = async (next: Session) => {
    try {
      const { standing: found, org } = await standing(config.api_base, next);
      const kept = { ...next, org };
      saveSession(kept);
      setSession(kept);
      setState(found);
      setProblem(null);
    } catch (e) {
      // A refused token ends the session; anything else (the API busy or
      // out of reach) keeps it, to try again.
      if (e instanceof ProblemError && e.status === 401) {
        saveSession(null);
        setSession(null);
        setState(null);
      }
      setProblem(e);
    }
  };

  useEffect(() => {
    if (config.oidc) {
      finishOidcSignIn(config.oidc)
        .then((token) => {
          if (token) adopt({ token, org: null });
        })
        .catch(setProblem);
    }
    if (session) adopt(session);
  }, []);

  const app = useMemo<AppState | null>(() => {
    if (!session || !state) return null;
    return {
      config,
      api: connect(config.api_base, session.token, session.org),
      me: state.me,
      orgs: state.orgs,
      switchOrg: (org) => adopt({ ...session, org }),
      refresh: () => adopt(session),
      signOut: () => {
        signOut();
        setSession(null);
        setState(null);
        location.hash = "";
      },
    };
  }, [session, state]);

  if (app) return <Shell app={app} problem={problem} />;
  if (session && problem) {
    return (
      <main class="signin" id="main">
        <h1>Control plane console</h1>
        <ErrorBox error={problem} />
        <div class="row">
          <button type="button" class="primary" onClick={() => adopt(session)}>
            Try again
          </button>
          <button type="button" onClick={() => (signOut(), setSession(null), setProblem(null))}>
            Sign out
          </button>
        </div>
      </main>
    );
  }
  if (session) return <p class="boot">Signing in…</p>;
  return <SignIn config={config} problem={problem} onToken={(token) => adopt({ token, org: null })} />;
}

const root = document.getElementById("app")!;
loadConfig()
  .then((config) => {
    root.replaceChildren();
    render(<Console config={config} />, root);
  })
  .catch((error) => {
    root.textContent = `The console could not start: ${describe(error)}`;
  });
