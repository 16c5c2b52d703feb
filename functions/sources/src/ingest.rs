//! Pushed ingest: `POST /v1/traces` (an `ingest.trace_push` source) and
//! `POST /v1/results/push` (an `ingest.result_push` source). Only an API
//! key limited to the source (`"resources": ["src_…"]`) with `ingest:push`
//! may push; `Idempotency-Key` is required (a retried batch replays the
//! first answer and is stored once); a body over 64 KiB is 413; each
//! accepted batch is validated, kept as evidence and recorded on the
//! source's health in one transaction with its audit event.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use controlplane::base::error::DomainError;
use controlplane::base::ids::{EvidenceId, SourceId};
use controlplane::base::rbac::Permission;
use controlplane::base::tenant::Authority;
use controlplane::domain::Mutation;
use controlplane::domain::apikey::{ResourceKind, ResourceRef};
use controlplane::domain::audit::AuditEvent;
use controlplane::domain::source::evidence::Evidence;
use controlplane::domain::source::{RunOutcome, RunResult, Source, SourceKind};
use controlplane::edge::auth::Caller;
use controlplane::edge::error::{FieldError, Problem};
use controlplane::edge::http::ApiJson;
use controlplane::edge::http::idempotency::IDEMPOTENCY_KEY;
use controlplane::ports::store::{Condition, WriteOp};
use controlplane::{ApiError, AppState, TenantContext};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

/// Spans or results one batch may carry.
pub const MAX_BATCH_ITEMS: usize = 1000;
const MAX_ATTRIBUTES: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SpanKind {
    Internal,
    Server,
    Client,
    Producer,
    Consumer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SpanStatus {
    Unset,
    Ok,
    Error,
}

/// One span, in OpenTelemetry's terms.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Span {
    /// 32 lowercase hex digits, not all zero.
    #[schema(pattern = "^(?!0{32}$)[0-9a-f]{32}$")]
    pub trace_id: String,
    /// 16 lowercase hex digits, not all zero.
    #[schema(pattern = "^(?!0{16}$)[0-9a-f]{16}$")]
    pub span_id: String,
    /// 16 lowercase hex digits, not all zero.
    #[schema(pattern = "^(?!0{16}$)[0-9a-f]{16}$")]
    pub parent_span_id: Option<String>,
    #[schema(min_length = 1, max_length = 256)]
    pub name: String,
    pub kind: Option<SpanKind>,
    pub start_time: DateTime<Utc>,
    /// Not before `start_time`.
    pub end_time: DateTime<Utc>,
    pub status: Option<SpanStatus>,
    /// At most 64 attributes, each a string, number or boolean.
    #[schema(schema_with = attributes_schema)]
    pub attributes: Option<Map<String, Value>>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TraceBatch {
    pub source_id: SourceId,
    /// 1 to 1,000 spans.
    #[schema(min_items = 1, max_items = 1000)]
    pub spans: Vec<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResultSeverity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

/// One finding a tool reported.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PushedResult {
    #[schema(min_length = 1, max_length = 200)]
    pub rule: String,
    pub severity: ResultSeverity,
    #[schema(min_length = 1, max_length = 2000)]
    pub message: String,
    #[schema(max_length = 500)]
    pub location: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResultBatch {
    pub source_id: SourceId,
    /// The tool that produced the results: 1 to 100 characters.
    #[schema(min_length = 1, max_length = 100)]
    pub tool: String,
    /// The tool's own id for the run, up to 200 characters.
    #[schema(min_length = 1, max_length = 200)]
    pub run_id: Option<String>,
    /// 0 to 1,000 results, within the 64 KiB a body may hold.
    pub results: Vec<PushedResult>,
}

/// An accepted batch.
#[derive(Serialize, ToSchema)]
pub struct Accepted {
    pub source_id: SourceId,
    pub evidence_id: EvidenceId,
    /// Spans or results stored.
    pub accepted: usize,
    pub summary: String,
}

fn attributes_schema() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    let value = ObjectBuilder::new().schema_type(utoipa::openapi::schema::SchemaType::from_iter([
        Type::String,
        Type::Number,
        Type::Boolean,
    ]));
    ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([Type::Object, Type::Null]))
        .max_properties(Some(MAX_ATTRIBUTES))
        .additional_properties(Some(value))
        .build()
}

fn hex_id(s: &str, digits: usize) -> bool {
    s.len() == digits
        && s.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        && s.chars().any(|c| c != '0')
}

fn length(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.chars().count())
}

fn check_spans(spans: &[Span]) -> Result<(), ApiError> {
    if spans.is_empty() || spans.len() > MAX_BATCH_ITEMS {
        return Err(ApiError::field("spans", format!("give 1 to {MAX_BATCH_ITEMS} spans")));
    }
    let mut errors = Vec::new();
    for (i, span) in spans.iter().enumerate() {
        let mut bad = |field: &str, message: &str| errors.push(FieldError::new(format!("spans[{i}].{field}"), message));
        if !hex_id(&span.trace_id, 32) {
            bad("trace_id", "32 lowercase hex digits, not all zero");
        }
        if !hex_id(&span.span_id, 16) {
            bad("span_id", "16 lowercase hex digits, not all zero");
        }
        if span.parent_span_id.as_deref().is_some_and(|p| !hex_id(p, 16)) {
            bad("parent_span_id", "16 lowercase hex digits, not all zero");
        }
        if !length(&span.name, 1, 256) {
            bad("name", "1 to 256 characters");
        }
        if span.end_time < span.start_time {
            bad("end_time", "before start_time");
        }
        if let Some(attributes) = &span.attributes {
            if attributes.len() > MAX_ATTRIBUTES {
                bad("attributes", "at most 64 attributes");
            }
            if attributes.values().any(|v| !(v.is_string() || v.is_number() || v.is_boolean())) {
                bad("attributes", "values are strings, numbers or booleans");
            }
        }
        if errors.len() >= 20 {
            break;
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(ApiError::Validation(errors)) }
}

fn check_results(batch: &ResultBatch) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    if !length(&batch.tool, 1, 100) {
        errors.push(FieldError::new("tool", "1 to 100 characters"));
    }
    if batch.run_id.as_deref().is_some_and(|r| !length(r, 1, 200)) {
        errors.push(FieldError::new("run_id", "1 to 200 characters"));
    }
    if batch.results.len() > MAX_BATCH_ITEMS {
        errors.push(FieldError::new("results", format!("at most {MAX_BATCH_ITEMS} results")));
    }
    for (i, result) in batch.results.iter().enumerate().take(MAX_BATCH_ITEMS) {
        let mut bad =
            |field: &str, message: &str| errors.push(FieldError::new(format!("results[{i}].{field}"), message));
        if !length(&result.rule, 1, 200) {
            bad("rule", "1 to 200 characters");
        }
        if !length(&result.message, 1, 2000) {
            bad("message", "1 to 2000 characters");
        }
        if result.location.as_deref().is_some_and(|l| !length(l, 0, 500)) {
            bad("location", "at most 500 characters");
        }
        if errors.len() >= 20 {
            break;
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(ApiError::Validation(errors)) }
}

/// The source a push names, for a key limited to it with `ingest:push`.
async fn pushed_to(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    source_id: &SourceId,
    kind: SourceKind,
) -> Result<(TenantContext, Source, String), ApiError> {
    let idempotency_key =
        headers.get(&IDEMPOTENCY_KEY).and_then(|v| v.to_str().ok()).map(str::to_owned).ok_or_else(|| {
            ApiError::bad_request("idempotency_key_required", "pushes need an Idempotency-Key header")
        })?;
    let not_found = || ApiError::NotFound { resource: "source" };
    let (ctx, items) = caller.tenant(state, Permission::IngestPush, |t| vec![Source::key(t, source_id)]).await?;
    let reference = ResourceRef::from(source_id);
    let limited_to_it = matches!(ctx.authority(), Authority::Key { .. })
        && ctx.resource_limit(ResourceKind::Source).is_some_and(|listed| listed.contains(&reference));
    if !limited_to_it {
        let detail = format!("push with an API key limited to {source_id} (\"resources\": [\"{source_id}\"])");
        let refused = ctx.denied("key_not_scoped_to_source", detail, None, "source", Some(source_id.to_string()));
        return Err(refused.into());
    }
    let source: Source = items[0].as_ref().ok_or_else(not_found)?.parse()?;
    ctx.require_project(&source.project_id)?;
    if source.kind() != kind {
        return Err(ApiError::field(
            "source_id",
            format!("this route takes {} sources, not {}", kind.as_str(), source.kind().as_str()),
        ));
    }
    if !source.enabled {
        return Err(ApiError::conflict("source_paused", "the source is paused; enable it to accept pushes"));
    }
    Ok((ctx, source, idempotency_key))
}

/// Stores the batch as evidence and records it on the source, retrying
/// when a concurrent push or edit moved the source on.
async fn accept(
    state: &AppState,
    ctx: &TenantContext,
    mut source: Source,
    batch: Value,
    (evidence_kind, count, outcome, summary): (&str, usize, RunOutcome, String),
    idempotency_key: &str,
) -> Result<(StatusCode, axum::Json<Accepted>), ApiError> {
    let blobs = state
        .blobs
        .as_ref()
        .ok_or_else(|| ApiError::Unavailable { detail: "no blob store is configured for evidence".into() })?;
    let now = controlplane::now();
    let id = EvidenceId::generate();
    let key = Evidence::blob_key(&source, &id)?;
    let bytes = serde_json::to_vec(&batch).map_err(|e| ApiError::Internal(e.to_string()))?;
    let stored = blobs.put(&key, bytes, "application/json").await.map_err(|e| {
        tracing::warn!(error = %e, "ingest: blob store unavailable");
        ApiError::Unavailable { detail: "the blob store is unavailable; retry with the same Idempotency-Key".into() }
    })?;
    let evidence = Evidence {
        id: id.clone(),
        org_id: ctx.tenant().org().clone(),
        source_id: source.id.clone(),
        job_id: None,
        kind: evidence_kind.to_owned(),
        summary: summary.clone(),
        location: stored.location,
        size: stored.size,
        sha256: stored.sha256,
        created_at: now,
    };
    let result = RunResult {
        outcome,
        summary: summary.clone(),
        job_id: None,
        evidence_id: Some(id.clone()),
        profile_digest: None,
    };
    for attempt in 0..3 {
        let mut next = source.next_version(now);
        next.last_run_at = Some(now);
        next.last_result = Some(result.clone());
        let next = next.settled();
        let metadata =
            json!({ "evidence_id": id, "kind": evidence_kind, "accepted": count, "idempotency_key": idempotency_key });
        let event = AuditEvent::new(ctx, "source.batch_accepted", "source", &source.id, metadata)
            .for_project(&source.project_id);
        let moved = DomainError::conflict(
            "source_changed",
            "the source changed meanwhile; retry with the same Idempotency-Key",
        );
        let committed = Mutation::new(ctx, Permission::IngestPush)
            .op(WriteOp::put_if(evidence.item()?, Condition::NotExists), DomainError::concurrent_modification())
            .op(WriteOp::put_if(next.item()?, Condition::VersionEquals(source.version)), moved)
            .commit(state.store.as_ref(), event)
            .await;
        match committed {
            Ok(()) => {
                let body = Accepted { source_id: source.id, evidence_id: id, accepted: count, summary };
                return Ok((StatusCode::CREATED, axum::Json(body)));
            }
            Err(DomainError::Conflict { code: "source_changed", .. }) if attempt < 2 => {
                let item = state.store.batch_get(&[Source::key(ctx.tenant(), &source.id)]).await?.pop().flatten();
                source = item.ok_or(ApiError::NotFound { resource: "source" })?.parse()?;
            }
            Err(other) => return Err(other.into()),
        }
    }
    Err(ApiError::concurrent_modification())
}

/// Push a batch of spans to an `ingest.trace_push` source (a key limited
/// to it, `ingest:push`; `Idempotency-Key` required; body ≤ 64 KiB).
#[utoipa::path(post, path = "/v1/traces", operation_id = "traces.push", tag = "sources", request_body = TraceBatch,
    params(("Idempotency-Key" = String, Header)),
    security(("bearer" = [])),
    responses(
        (status = 201, body = Accepted),
        (status = 400, description = "No Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn push_traces(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiJson(batch): ApiJson<TraceBatch>,
) -> Result<(StatusCode, axum::Json<Accepted>), ApiError> {
    check_spans(&batch.spans)?;
    let (ctx, source, key) =
        pushed_to(&state, &caller, &headers, &batch.source_id, SourceKind::IngestTracePush).await?;
    let traces: std::collections::BTreeSet<&str> = batch.spans.iter().map(|s| s.trace_id.as_str()).collect();
    let errors = batch.spans.iter().filter(|s| s.status == Some(SpanStatus::Error)).count();
    let summary = format!("{} span(s) in {} trace(s), {errors} with errors", batch.spans.len(), traces.len());
    let outcome = if errors > 0 { RunOutcome::Warn } else { RunOutcome::Ok };
    let body = json!({ "source_id": source.id, "spans": batch.spans });
    accept(&state, &ctx, source, body, ("trace_batch", batch.spans.len(), outcome, summary), &key).await
}

/// Push a batch of a tool's results to an `ingest.result_push` source (a
/// key limited to it, `ingest:push`; `Idempotency-Key` required; body ≤ 64 KiB).
#[utoipa::path(post, path = "/v1/results/push", operation_id = "results.push", tag = "sources", request_body = ResultBatch,
    params(("Idempotency-Key" = String, Header)),
    security(("bearer" = [])),
    responses(
        (status = 201, body = Accepted),
        (status = 400, description = "No Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn push_results(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiJson(batch): ApiJson<ResultBatch>,
) -> Result<(StatusCode, axum::Json<Accepted>), ApiError> {
    check_results(&batch)?;
    let (ctx, source, key) =
        pushed_to(&state, &caller, &headers, &batch.source_id, SourceKind::IngestResultPush).await?;
    let serious = batch.results.iter().filter(|r| r.severity >= ResultSeverity::Medium).count();
    let summary = format!("{}: {} result(s), {serious} medium or worse", batch.tool, batch.results.len());
    let outcome = if serious > 0 { RunOutcome::Warn } else { RunOutcome::Ok };
    let count = batch.results.len();
    let body = json!({ "source_id": source.id, "tool": batch.tool, "run_id": batch.run_id, "results": batch.results });
    accept(&state, &ctx, source, body, ("result_batch", count, outcome, summary), &key).await
}
