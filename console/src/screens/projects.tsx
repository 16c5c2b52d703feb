// Projects: list with status and name filters, create, rename and
// describe, archive, delete, and provisioning followed live until the
// project is active or failed (with retry).

import { useEffect, useState } from "preact/hooks";
import { unwrap, type Schemas } from "../api";
import { useApp } from "../app";
import { Action, Confirm, ErrorBox, Field, Listing, Section, Status, useAction, usePaged, usePolling, useSubmit, When } from "../ui";
import { ifMatch } from "./org";

type Project = Schemas["Project"];
type ProjectStatus = Schemas["ProjectStatus"];
const STATUSES: ProjectStatus[] = ["provisioning", "active", "failed", "archived", "deleted"];

/** The org's projects (first 200), for the pickers of other screens. */
export function useProjects(): Project[] {
  const { api } = useApp();
  const [projects, setProjects] = useState<Project[]>([]);
  useEffect(() => {
    api.client
      .GET("/v1/projects", { params: { query: { limit: 200 } } })
      .then((r) => setProjects(r.data?.data ?? []));
  }, [api]);
  return projects;
}

export function ProjectPicker({
  value,
  onChange,
  any = false,
  error,
}: {
  value: string;
  onChange: (id: string) => void;
  any?: boolean;
  error?: unknown;
}) {
  const projects = useProjects();
  useEffect(() => {
    if (!any && !value && projects[0]) onChange(projects[0].id);
  }, [projects]);
  return (
    <Field label="Project" name="project_id" error={error}>
      {(p) => (
        <select {...p} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
          {any && <option value="">All projects</option>}
          {projects.map((project) => (
            <option key={project.id} value={project.id}>
              {project.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function ProjectsScreen() {
  const { api } = useApp();
  const [status, setStatus] = useState<ProjectStatus | "">("");
  const [name, setName] = useState("");
  const list = usePaged(
    async (cursor) =>
      unwrap(
        await api.client.GET("/v1/projects", {
          params: {
            query: {
              cursor,
              status: status || undefined,
              name: name || undefined,
              include_deleted: status === "deleted" ? true : undefined,
            },
          },
        }),
      ),
    [api, status, name],
  );
  const pending = list.items.some((p) => p.status === "provisioning");
  usePolling(pending, list.reload);
  return (
    <>
      <h1>Projects</h1>
      <CreateProject onCreated={list.reload} />
      <Section title="All projects">
        <div class="filters">
          <Field label="Status" name="query.status">
            {(p) => (
              <select {...p} value={status} onChange={(e) => setStatus(e.currentTarget.value as ProjectStatus | "")}>
                <option value="">Any</option>
                {STATUSES.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Name" name="query.name">
            {(p) => <input {...p} type="search" value={name} onChange={(e) => setName(e.currentTarget.value)} />}
          </Field>
        </div>
        <Listing list={list} empty="No projects match.">
          <ul class="items">
            {list.items.map((project) => (
              <ProjectItem key={project.id} project={project} onChanged={list.reload} />
            ))}
          </ul>
        </Listing>
      </Section>
    </>
  );
}

function CreateProject({ onCreated }: { onCreated: () => void }) {
  const { api } = useApp();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [environment, setEnvironment] = useState<Schemas["Environment"]>("development");
  const form = useSubmit(
    async () =>
      unwrap(await api.client.POST("/v1/projects", { body: { name, description: description || null, environment } })),
    () => {
      setName("");
      setDescription("");
      onCreated();
    },
  );
  return (
    <Section title="New project">
      <form onSubmit={form.submit} class="inline-form">
        <Field label="Name" name="name" error={form.error}>
          {(p) => <input {...p} value={name} required onInput={(e) => setName(e.currentTarget.value)} />}
        </Field>
        <Field label="Description" name="description" error={form.error}>
          {(p) => <input {...p} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />}
        </Field>
        <Field label="Environment" name="environment" error={form.error}>
          {(p) => (
            <select {...p} value={environment} onChange={(e) => setEnvironment(e.currentTarget.value as Schemas["Environment"])}>
              <option>development</option>
              <option>staging</option>
              <option>production</option>
            </select>
          )}
        </Field>
        <Action type="submit" needs="projects:write" disabled={form.busy}>
          Create project
        </Action>
      </form>
      <ErrorBox error={form.error} />
    </Section>
  );
}

function ProjectItem({ project, onChanged }: { project: Project; onChanged: () => void }) {
  const { api } = useApp();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(project.name);
  const [description, setDescription] = useState(project.description ?? "");
  const path = { project_id: project.id };
  const update = (body: Schemas["UpdateProject"]) => async () =>
    unwrap(
      await api.client.PATCH("/v1/projects/{project_id}", {
        params: { path, header: { "If-Match": ifMatch(project.version) } },
        body,
      }),
    );
  const edit = useSubmit(update({ name, description }), () => {
    setEditing(false);
    onChanged();
  });
  const action = useAction(onChanged);
  const run = action.run;
  const live = project.status === "deleted" ? null : project;
  return (
    <li class="item" data-project={project.name}>
      <div class="item-head">
        <h3>{project.name}</h3>
        <Status value={project.status} />
        {project.status === "provisioning" && (
          <span class="progress" role="status">
            Provisioning…
          </span>
        )}
      </div>
      <p class="muted">
        <code>{project.id}</code> · {project.environment ?? "development"} · created <When at={project.created_at} />
      </p>
      {project.description && <p>{project.description}</p>}
      {project.status === "failed" && project.status_reason && <p class="problem">{project.status_reason}</p>}
      {editing ? (
        <form onSubmit={edit.submit} class="inline-form">
          <Field label="Name" name="name" error={edit.error}>
            {(p) => <input {...p} value={name} required onInput={(e) => setName(e.currentTarget.value)} />}
          </Field>
          <Field label="Description" name="description" error={edit.error}>
            {(p) => <input {...p} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />}
          </Field>
          <button type="submit" class="primary" disabled={edit.busy}>
            Save
          </button>
          <button type="button" onClick={() => setEditing(false)}>
            Cancel
          </button>
          <ErrorBox error={edit.error} />
        </form>
      ) : (
        live && (
          <div class="row">
            <Action needs="projects:write" onClick={() => setEditing(true)}>
              Edit
            </Action>
            {project.status === "failed" && (
              <Action
                needs="projects:write"
                onClick={() =>
                  run(async () => unwrap(await api.client.POST("/v1/projects/{project_id}/provision", { params: { path } })))
                }
              >
                Retry provisioning
              </Action>
            )}
            {project.status === "active" && (
              <Confirm
                label="Archive"
                danger={false}
                needs="projects:write"
                question={`Archive ${project.name}? Its keys keep working for reads; it can be made active again.`}
                onConfirm={async () => {
                  await update({ status: "archived" })();
                  onChanged();
                }}
              />
            )}
            {project.status === "archived" && (
              <Action needs="projects:write" onClick={() => run(update({ status: "active" }))}>
                Unarchive
              </Action>
            )}
            <Confirm
              label="Delete"
              needs="projects:write"
              question={`Delete ${project.name}? Its resources are deprovisioned and its keys stop working.`}
              onConfirm={async () => {
                unwrap(
                  await api.client.DELETE("/v1/projects/{project_id}", {
                    params: { path, header: { "If-Match": ifMatch(project.version) } },
                  }),
                );
                onChanged();
              }}
            />
          </div>
        )
      )}
      <ErrorBox error={action.error} />
    </li>
  );
}
