// Credentials: created with their value entered once (never shown again,
// only a fingerprint), the sources using each, and a test run.

import { useEffect, useState } from "preact/hooks";
import { unwrap, type Schemas } from "../api";
import { useApp } from "../app";
import { SchemaForm } from "../schemaform";
import { conditional, useSpec } from "../spec";
import { Action, Confirm, ErrorBox, Field, Listing, Section, Status, useAction, usePaged, usePolling, useSubmit, When } from "../ui";

type Credential = Schemas["CredentialRef"];
type Kind = Schemas["CredentialKind"];

/** The org's credentials (first 200), for the pickers of other screens. */
export function useCredentials(): Credential[] {
  const { api } = useApp();
  const [credentials, setCredentials] = useState<Credential[]>([]);
  useEffect(() => {
    api.client.GET("/v1/credentials", { params: { query: { limit: 200 } } }).then((r) => setCredentials(r.data?.data ?? []));
  }, [api]);
  return credentials;
}

export function CredentialsScreen() {
  const { api } = useApp();
  // Credentials under test, with the `last_tested_at` they had when asked.
  const [testing, setTesting] = useState<Map<string, string | null | undefined>>(new Map());
  const [sources, setSources] = useState<Schemas["Source"][]>([]);
  const list = usePaged(async (cursor) => unwrap(await api.client.GET("/v1/credentials", { params: { query: { cursor } } })), [api]);
  useEffect(() => {
    api.client.GET("/v1/sources", { params: { query: { limit: 200 } } }).then((r) => setSources(r.data?.data ?? []));
  }, [api, list.items]);
  usePolling(testing.size > 0, list.reload);
  useEffect(() => {
    // A test is done once the credential records a result newer than the one it had.
    setTesting(
      (current) =>
        new Map([...current].filter(([id, before]) => list.items.find((c) => c.id === id)?.last_tested_at === before)),
    );
  }, [list.items]);
  const action = useAction();
  const problem = action.error;
  return (
    <>
      <h1>Credentials</h1>
      <CreateCredential onCreated={list.reload} />
      <Section title="Credentials">
        <Listing list={list} problem={problem} empty="No credentials yet.">
          <ul class="items">
            {list.items.map((credential) => {
              const using = sources.filter((s) => s.credential_ref_id === credential.id);
              return (
                <li class="item" key={credential.id}>
                  <div class="item-head">
                    <h3>{credential.name}</h3>
                    <span class="tag">{credential.kind}</span>
                    {credential.last_test_result && <Status value={credential.last_test_result.outcome} />}
                  </div>
                  <p class="muted">
                    Fingerprint <code>{credential.fingerprint}</code> · created by {credential.created_by}, <When at={credential.created_at} />
                  </p>
                  {credential.last_test_result && (
                    <p>
                      Last test <When at={credential.last_tested_at} />: {credential.last_test_result.message}
                    </p>
                  )}
                  <p>
                    Used by {credential.sources_using} source{credential.sources_using === 1 ? "" : "s"}
                    {using.length > 0 && ": "}
                    {using.map((s, i) => (
                      <span key={s.id}>
                        {i > 0 && ", "}
                        <a href={`#/sources/${s.id}`}>{s.display_name}</a>
                      </span>
                    ))}
                  </p>
                  <div class="row">
                    <Action
                      needs="credentials:manage"
                      disabled={testing.has(credential.id)}
                      onClick={() =>
                        action.run(async () => {
                          unwrap(await api.client.POST("/v1/credentials/{credential_id}/test", { params: { path: { credential_id: credential.id } } }));
                          setTesting(new Map([...testing, [credential.id, credential.last_tested_at]]));
                        })
                      }
                    >
                      {testing.has(credential.id) ? "Testing…" : "Test"}
                    </Action>
                    <Confirm
                      label="Delete"
                      needs="credentials:manage"
                      question={`Delete ${credential.name}? Its secret is destroyed; sources using it can no longer run.`}
                      onConfirm={async () => {
                        unwrap(
                          await api.client.DELETE("/v1/credentials/{credential_id}", {
                            params: { path: { credential_id: credential.id }, query: { force: credential.sources_using > 0 } },
                          }),
                        );
                        list.reload();
                      }}
                    />
                  </div>
                </li>
              );
            })}
          </ul>
        </Listing>
      </Section>
    </>
  );
}

function CreateCredential({ onCreated }: { onCreated: () => void }) {
  const { api } = useApp();
  const spec = useSpec();
  const [name, setName] = useState("");
  const [kind, setKind] = useState<Kind>("token");
  const [value, setValue] = useState<unknown>({});
  const [generation, setGeneration] = useState(0);
  const schema = spec ? conditional(spec, "CreateCredential", "kind", kind, "value") : undefined;
  const form = useSubmit(
    async () =>
      unwrap(await api.client.POST("/v1/credentials", { body: { name, kind, value: value as Schemas["CreateCredential"]["value"] } })),
    () => {
      // The value is dropped from the page as soon as it is stored.
      setValue({});
      setName("");
      setGeneration(generation + 1);
      onCreated();
    },
  );
  return (
    <Section title="New credential">
      <p class="hint">The value is sent once to the secrets store; the console and the API never show it again.</p>
      <form onSubmit={form.submit}>
        <div class="inline-form">
          <Field label="Name" name="name" error={form.error}>
            {(p) => <input {...p} value={name} required onInput={(e) => setName(e.currentTarget.value)} />}
          </Field>
          <Field label="Kind" name="kind" error={form.error}>
            {(p) => (
              <select
                {...p}
                value={kind}
                onChange={(e) => {
                  setKind(e.currentTarget.value as Kind);
                  setValue({});
                }}
              >
                <option value="token">token</option>
                <option value="basic">basic (username and password)</option>
                <option value="registry">registry</option>
                <option value="aws_role">aws_role</option>
              </select>
            )}
          </Field>
        </div>
        {spec && schema && (
          <SchemaForm
            key={`${kind}-${generation}`}
            spec={spec}
            schema={schema}
            value={value}
            onChange={setValue}
            path="value"
            label="Value"
            error={form.error}
            secret={kind !== "aws_role"}
          />
        )}
        <Action type="submit" needs="credentials:manage" disabled={form.busy}>
          Store credential
        </Action>
      </form>
      <ErrorBox error={form.error} />
    </Section>
  );
}
