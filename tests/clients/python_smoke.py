"""The Python client's smoke test (run by smoke.py against a server)."""

from http import HTTPStatus

from controlplane_client import AuthenticatedClient
from controlplane_client.api.keys import keys_create
from controlplane_client.api.orgs import orgs_create
from controlplane_client.api.projects import projects_create, projects_get, projects_list
from controlplane_client.models import CreateKey, CreateOrg, CreateProject, KeyType, Problem


def expect(response, status):
    assert response.status_code == status, f"expected {status}, got {response.status_code}: {response.content!r}"
    return response.parsed


def run(base, token):
    user = AuthenticatedClient(base_url=base, token=token)

    # An org and a project.
    org = expect(orgs_create.sync_detailed(client=user, body=CreateOrg(name="Python smoke")), HTTPStatus.CREATED)
    member = AuthenticatedClient(base_url=base, token=token, headers={"X-Org-Id": org.id})
    project = expect(projects_create.sync_detailed(client=member, body=CreateProject(name="web")), HTTPStatus.CREATED)
    assert project.name == "web" and project.org_id == org.id
    print("ok: an org and a project")

    # A key, used.
    body = CreateKey(project_id=project.id, name="reader", type_=KeyType.SECRET, scopes=["projects:read", "projects:write"])
    key = expect(keys_create.sync_detailed(client=member, body=body), HTTPStatus.CREATED)
    assert key.token.startswith("sk_live_")
    with_key = AuthenticatedClient(base_url=base, token=key.token)
    read = expect(projects_get.sync_detailed(project.id, client=with_key), HTTPStatus.OK)
    assert read.id == project.id
    print("ok: a key created and used")

    # Paging with the cursor.
    for name in ("api", "jobs", "docs"):
        expect(projects_create.sync_detailed(client=member, body=CreateProject(name=name)), HTTPStatus.CREATED)
    names, cursor, pages = [], None, 0
    while True:
        kwargs = {"cursor": cursor} if cursor else {}
        page = expect(projects_list.sync_detailed(client=member, limit=2, **kwargs), HTTPStatus.OK)
        names += [p.name for p in page.data]
        pages += 1
        cursor = page.next_cursor
        if not cursor:
            break
    assert sorted(names) == ["api", "docs", "jobs", "web"] and pages == 2, (names, pages)
    print("ok: two pages through the cursor")

    # A 409 as a typed problem.
    taken = projects_create.sync_detailed(client=member, body=CreateProject(name="web"))
    problem = expect(taken, HTTPStatus.CONFLICT)
    assert isinstance(problem, Problem) and problem.code == "name_taken", problem
    print("ok: 409 name_taken as a Problem")

    # An Idempotency-Key replay: the same project, marked as replayed.
    first = projects_create.sync_detailed(client=member, body=CreateProject(name="once"), idempotency_key="smoke-once")
    again = projects_create.sync_detailed(client=member, body=CreateProject(name="once"), idempotency_key="smoke-once")
    assert expect(first, HTTPStatus.CREATED).id == expect(again, HTTPStatus.CREATED).id
    assert again.headers.get("Idempotent-Replayed") == "true"
    print("ok: an Idempotency-Key replay returns the same project")

    # A 429 as a typed problem: the key's own write limit (a key is its
    # own principal), spent on creates only members may make (403 after
    # the request is counted).
    for _ in range(1000):
        answer = projects_create.sync_detailed(client=with_key, body=CreateProject(name="spent"))
        if answer.status_code == HTTPStatus.TOO_MANY_REQUESTS:
            break
        expect(answer, HTTPStatus.FORBIDDEN)
    problem = expect(answer, HTTPStatus.TOO_MANY_REQUESTS)
    assert isinstance(problem, Problem) and problem.code == "rate_limited", problem
    assert int(answer.headers["Retry-After"]) >= 1
    print("ok: 429 rate_limited as a Problem with Retry-After")
