//! Plan cost estimates: what a workflow of model and tool calls will cost
//! before it runs, and how far off the estimate was once it ran.
//!
//! A step's text is counted with its model's own tokenizer where the vendor
//! publishes one (OpenAI's `o200k_base` and `cl100k_base`, through
//! `bpe-openai`: linear time, no backtracking on tenants' text). Other
//! vendors publish none, so their count is the `o200k_base` count times the
//! model's documented factor ([`Tokenizer::Approximated`]). Prices come from
//! [`Model::price`], and tool calls cost the MCP gateway's per-call fee
//! unless the step names its own price.
//!
//! Each recorded run (a plan's actuals) updates the project's
//! [`Calibration`] of each model it used: the ratio of the actual cost to
//! the uncalibrated estimate, kept as a running mean and variance, and the
//! estimate's absolute percentage error. The next estimates multiply the
//! model's steps by the ratio's mean, shrunk towards 1 by [`PRIOR_RUNS`]
//! pretend runs, and once two runs are recorded the ratio's observed spread
//! sets the steps' uncertainty.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::base::error::{DomainError, FieldError};
use crate::base::ids::{PlanId, ProjectId};
use crate::base::tenant::{OrgId, TenantContext, TenantId};
use crate::domain::audit::AuditEvent;
use crate::domain::usage::{BudgetWarning, Service};
use crate::ports::store::{Condition, Item, Key, Store, StoreError, WriteOp};

/// The most steps one plan holds.
pub const MAX_STEPS: usize = 100;
/// The most times one step may be repeated, or a tool called.
pub const MAX_REPEAT: u32 = 10_000;
/// The most tokens a step may name for its prompt or response.
pub const MAX_TOKENS: u64 = 10_000_000;
/// The highest per-call price a tool step may name, in US dollars.
pub const MAX_TOOL_PRICE_USD: f64 = 100.0;
/// How many runs at a ratio of 1 a model's multiplier starts from: one
/// recorded run moves it a third of the way to what that run showed.
pub const PRIOR_RUNS: f64 = 2.0;
/// The interval's coverage, and its normal quantile.
pub const CONFIDENCE: f64 = 0.9;
const Z: f64 = 1.645;

/// How a model's text becomes tokens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tokenizer {
    O200k,
    Cl100k,
    /// The vendor's tokenizer is not published: the `o200k_base` count
    /// times this factor (how many more tokens the vendor's makes of
    /// typical English text and code).
    Approximated {
        factor: f64,
    },
}

impl Tokenizer {
    fn count(self, text: &str) -> (u64, TokenSource) {
        match self {
            Tokenizer::O200k => (bpe_openai::o200k_base().count(text) as u64, TokenSource::Counted),
            Tokenizer::Cl100k => (bpe_openai::cl100k_base().count(text) as u64, TokenSource::Counted),
            Tokenizer::Approximated { factor } => {
                let proxy = bpe_openai::o200k_base().count(text) as f64;
                ((proxy * factor).ceil() as u64, TokenSource::Approximated)
            }
        }
    }
}

/// A model's list price and tokenizer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Price {
    /// US dollars per million prompt (input) tokens.
    pub input_per_million: f64,
    /// US dollars per million response (output) tokens.
    pub output_per_million: f64,
    pub tokenizer: Tokenizer,
}

/// The models the price table knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
pub enum Model {
    #[serde(rename = "gpt-4o")]
    Gpt4o,
    #[serde(rename = "gpt-4o-mini")]
    Gpt4oMini,
    #[serde(rename = "gpt-4.1")]
    Gpt41,
    #[serde(rename = "gpt-4.1-mini")]
    Gpt41Mini,
    #[serde(rename = "o3")]
    O3,
    #[serde(rename = "o4-mini")]
    O4Mini,
    #[serde(rename = "gpt-4-turbo")]
    Gpt4Turbo,
    #[serde(rename = "gpt-3.5-turbo")]
    Gpt35Turbo,
    #[serde(rename = "claude-opus-4")]
    ClaudeOpus4,
    #[serde(rename = "claude-sonnet-4")]
    ClaudeSonnet4,
    #[serde(rename = "claude-3.5-haiku")]
    Claude35Haiku,
    #[serde(rename = "gemini-2.5-pro")]
    Gemini25Pro,
    #[serde(rename = "gemini-2.5-flash")]
    Gemini25Flash,
}

impl Model {
    pub const ALL: [Model; 13] = [
        Model::Gpt4o,
        Model::Gpt4oMini,
        Model::Gpt41,
        Model::Gpt41Mini,
        Model::O3,
        Model::O4Mini,
        Model::Gpt4Turbo,
        Model::Gpt35Turbo,
        Model::ClaudeOpus4,
        Model::ClaudeSonnet4,
        Model::Claude35Haiku,
        Model::Gemini25Pro,
        Model::Gemini25Flash,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Model::Gpt4o => "gpt-4o",
            Model::Gpt4oMini => "gpt-4o-mini",
            Model::Gpt41 => "gpt-4.1",
            Model::Gpt41Mini => "gpt-4.1-mini",
            Model::O3 => "o3",
            Model::O4Mini => "o4-mini",
            Model::Gpt4Turbo => "gpt-4-turbo",
            Model::Gpt35Turbo => "gpt-3.5-turbo",
            Model::ClaudeOpus4 => "claude-opus-4",
            Model::ClaudeSonnet4 => "claude-sonnet-4",
            Model::Claude35Haiku => "claude-3.5-haiku",
            Model::Gemini25Pro => "gemini-2.5-pro",
            Model::Gemini25Flash => "gemini-2.5-flash",
        }
    }

    /// The vendors' list prices (US dollars per million tokens) the
    /// deployment ships with (docs/governance.md#plan-cost-estimates).
    pub fn price(self) -> Price {
        use Tokenizer::*;
        let (input_per_million, output_per_million, tokenizer) = match self {
            Model::Gpt4o => (2.50, 10.00, O200k),
            Model::Gpt4oMini => (0.15, 0.60, O200k),
            Model::Gpt41 => (2.00, 8.00, O200k),
            Model::Gpt41Mini => (0.40, 1.60, O200k),
            Model::O3 => (2.00, 8.00, O200k),
            Model::O4Mini => (1.10, 4.40, O200k),
            Model::Gpt4Turbo => (10.00, 30.00, Cl100k),
            Model::Gpt35Turbo => (0.50, 1.50, Cl100k),
            Model::ClaudeOpus4 => (15.00, 75.00, Approximated { factor: 1.2 }),
            Model::ClaudeSonnet4 => (3.00, 15.00, Approximated { factor: 1.2 }),
            Model::Claude35Haiku => (0.80, 4.00, Approximated { factor: 1.2 }),
            Model::Gemini25Pro => (1.25, 10.00, Approximated { factor: 1.1 }),
            Model::Gemini25Flash => (0.30, 2.50, Approximated { factor: 1.1 }),
        };
        Price { input_per_million, output_per_million, tokenizer }
    }
}

impl std::fmt::Display for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The most tools an org's price table names.
pub const MAX_TOOL_PRICES: usize = 200;

/// An org's prices for the tools its plans call: US dollars per call beyond
/// the gateway's fee, by tool name (`search`, `github.create_issue`) or by
/// an upstream server's slug (`github.*`, every tool of it). A tool step
/// that names no `unit_price_usd` takes its tool's price from here: the
/// exact name, else its `slug.*` entry, else nothing beyond the fee.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ToolPrices {
    pub prices: BTreeMap<String, f64>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// The org's tool prices as the API shows them.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ToolPricesView {
    /// US dollars per call, by tool name or `slug.*`.
    #[schema(example = json!({"search": 0.01, "github.*": 0.002}))]
    pub prices: BTreeMap<String, f64>,
    /// 0 until first set.
    pub version: u64,
    pub updated_at: Option<DateTime<Utc>>,
}

/// A new table: it replaces the stored one whole.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditToolPrices {
    /// US dollars per call (0 to 100), by tool name (1 to 200 characters)
    /// or `slug.*`; at most 200 entries.
    #[schema(example = json!({"search": 0.01, "github.*": 0.002}))]
    pub prices: BTreeMap<String, f64>,
}

impl ToolPrices {
    pub fn key(tenant: &TenantId) -> Key {
        Key::tenant(tenant, "TOOLPRICES")
    }

    pub fn from_item(item: Option<&Item>) -> Result<(Self, u64), StoreError> {
        item.map_or(Ok((Self::default(), 0)), |item| Ok((item.parse()?, item.version)))
    }

    pub fn item(&self, tenant: &TenantId, version: u64) -> Result<Item, StoreError> {
        Item::new(Self::key(tenant), version, self)
    }

    pub fn view(&self, version: u64) -> ToolPricesView {
        ToolPricesView { prices: self.prices.clone(), version, updated_at: self.updated_at }
    }

    /// The table `edit` names, checked entry by entry (422 naming
    /// `prices.NAME`).
    pub fn edited(&self, edit: EditToolPrices, now: DateTime<Utc>) -> Result<Self, DomainError> {
        if edit.prices.len() > MAX_TOOL_PRICES {
            return Err(DomainError::field("prices", format!("at most {MAX_TOOL_PRICES} tools")));
        }
        let mut errors = Vec::new();
        for (name, price) in &edit.prices {
            let tool = name.strip_suffix(".*").unwrap_or(name);
            let named = !tool.is_empty()
                && name.chars().count() <= 200
                && !tool.contains('*')
                && !tool.chars().any(|c| c.is_whitespace() || c.is_control());
            if !named {
                errors.push(FieldError::new(
                    format!("prices.{name}"),
                    "a tool's name (1 to 200 characters, no spaces) or `slug.*`",
                ));
            }
            if !(0.0..=MAX_TOOL_PRICE_USD).contains(price) {
                errors.push(FieldError::new(format!("prices.{name}"), format!("from 0 to {MAX_TOOL_PRICE_USD}")));
            }
        }
        if !errors.is_empty() {
            return Err(DomainError::Validation(errors));
        }
        Ok(Self { prices: edit.prices, updated_at: Some(now) })
    }

    /// The price of one call of `tool`: its own entry, else its server's.
    pub fn price_of(&self, tool: &str) -> Option<f64> {
        self.prices.get(tool).copied().or_else(|| {
            let (slug, _) = tool.split_once('.')?;
            self.prices.get(&format!("{slug}.*")).copied()
        })
    }
}

/// Where a tool step's per-call price came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PriceSource {
    /// The step's `unit_price_usd`.
    Step,
    /// The org's tool price table.
    Table,
    /// Neither: the gateway's fee alone.
    FeeOnly,
}

/// Where a step's token count came from, which sets its uncertainty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TokenSource {
    /// Counted from the text with the model's tokenizer.
    Counted,
    /// Counted from the text with a proxy tokenizer (see `Tokenizer`).
    Approximated,
    /// The caller's number.
    Given,
}

impl TokenSource {
    /// The relative standard deviation of a prompt counted this way.
    fn prompt_spread(self) -> f64 {
        match self {
            TokenSource::Counted => 0.02,
            TokenSource::Approximated => 0.15,
            TokenSource::Given => 0.10,
        }
    }
}

/// A response's length is the model's to choose: this relative standard
/// deviation holds until a model's calibration has observed its own.
pub const RESPONSE_SPREAD: f64 = 0.30;

/// A step as asked: a model call or a tool call, by its `type`.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PlanStep {
    Model(ModelStep),
    Tool(ToolStep),
}

/// Each variant's own schema with `type` among its properties: what serde
/// reads. (Derived, it would join `type` to a closed object with `allOf`,
/// which nothing satisfies.)
impl utoipa::PartialSchema for PlanStep {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::RefOr;
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};
        fn tagged(tag: &str, body: RefOr<Schema>) -> RefOr<Schema> {
            let RefOr::T(Schema::Object(mut object)) = body else { return body };
            let kind = ObjectBuilder::new().schema_type(Type::String).enum_values(Some([tag]));
            object.properties.insert("type".into(), kind.into());
            object.required.insert(0, "type".into());
            RefOr::T(Schema::Object(object))
        }
        OneOfBuilder::new()
            .description(Some("A step as asked: a model call or a tool call, by its `type`."))
            .item(tagged("model", <ModelStep as utoipa::PartialSchema>::schema()))
            .item(tagged("tool", <ToolStep as utoipa::PartialSchema>::schema()))
            .into()
    }
}

impl ToSchema for PlanStep {
    fn schemas(schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>) {
        <ModelStep as ToSchema>::schemas(schemas);
        <ToolStep as ToSchema>::schemas(schemas);
    }
}

/// A model call: the prompt and the expected response, each as text (counted
/// here) or as a token count.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelStep {
    pub model: Model,
    /// The prompt's text; or give `prompt_tokens`.
    pub prompt: Option<String>,
    #[schema(maximum = 10_000_000)]
    pub prompt_tokens: Option<u64>,
    /// A response like the one expected; or give `response_tokens`.
    pub response: Option<String>,
    #[schema(maximum = 10_000_000)]
    pub response_tokens: Option<u64>,
    /// How many times the call is made (1 by default).
    #[schema(minimum = 1, maximum = 10_000)]
    pub repeat: Option<u32>,
}

/// A tool call through the MCP gateway.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ToolStep {
    /// The tool's name (`slug.tool` for an upstream server's).
    #[schema(min_length = 1, max_length = 200)]
    pub tool: String,
    /// How many calls (1 by default).
    #[schema(minimum = 1, maximum = 10_000)]
    pub calls: Option<u32>,
    /// What one call costs beyond the gateway's fee, in US dollars, when
    /// the tool's provider charges (0 by default).
    #[schema(minimum = 0.0, maximum = 100.0)]
    pub unit_price_usd: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Model,
    Tool,
}

/// A step as estimated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StepEstimate {
    #[serde(rename = "type")]
    pub kind: StepKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<Model>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    /// Per call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt_tokens: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt_source: Option<TokenSource>,
    /// Per call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_tokens: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_source: Option<TokenSource>,
    /// A tool step's price per call beyond the gateway's fee.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_price_usd: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_source: Option<PriceSource>,
    /// Calls made: the model step's `repeat`, the tool step's `calls`.
    pub calls: u32,
    /// The cost at list prices, before calibration.
    pub list_cost_usd: f64,
    /// The calibration multiplier applied (1 for tools, and for a model
    /// without recorded runs).
    pub multiplier: f64,
    pub cost_usd: f64,
    /// The interval at `confidence`.
    pub low_usd: f64,
    pub high_usd: f64,
}

/// The project's calibration of one model, as an estimate used it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CalibrationView {
    pub model: Model,
    /// Runs with actuals recorded.
    pub runs: u64,
    pub multiplier: f64,
    /// Mean absolute percentage error of the estimates those runs had;
    /// `null` before the first.
    pub mape_percent: Option<f64>,
    /// The observed relative spread of actual over estimated cost; `null`
    /// before the second run.
    pub spread: Option<f64>,
}

/// How the plan sits against the project's budget this month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BudgetFit {
    /// `YYYY-MM` (UTC).
    pub period: String,
    /// `null`: the project has no budget.
    pub budget_cents: Option<u64>,
    /// The month's usage so far, at the usage price table.
    pub month_to_date_cents: u64,
    /// What is left of the budget; `null` without one.
    pub remaining_cents: Option<u64>,
    /// Whether the estimate fits what is left (always, without a budget).
    pub fits: bool,
    /// Whether the interval's high end fits too.
    pub fits_high: bool,
    /// The budget thresholds the month's cost would pass with this plan.
    pub warnings: Vec<BudgetWarning>,
}

/// What one step really took.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StepActual {
    /// Per call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt_tokens: Option<u64>,
    /// Per call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_tokens: Option<u64>,
    pub calls: u32,
    /// At list prices.
    pub cost_usd: f64,
}

/// A run's actuals, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Actuals {
    pub steps: Vec<StepActual>,
    pub cost_usd: f64,
    /// (estimate − actual) / actual, in percent: positive when the
    /// estimate was high; `null` when the run cost nothing.
    pub error_percent: Option<f64>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// A stored estimate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PlanEstimate {
    pub id: PlanId,
    pub org_id: OrgId,
    pub project_id: ProjectId,
    #[schema(example = "nightly triage")]
    pub name: Option<String>,
    pub steps: Vec<StepEstimate>,
    #[schema(example = 0.610525)]
    pub cost_usd: f64,
    pub low_usd: f64,
    pub high_usd: f64,
    /// The interval's coverage: 0.9.
    pub confidence: f64,
    /// The calibration of each model the plan uses, as applied.
    pub calibration: Vec<CalibrationView>,
    pub budget: BudgetFit,
    /// `null` until a run's actuals are recorded.
    pub actuals: Option<Actuals>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub version: u64,
}

impl PlanEstimate {
    pub fn key(tenant: &TenantId, id: &PlanId) -> Key {
        Key::tenant(tenant, format!("PLAN#{id}"))
    }

    pub fn item(&self) -> Result<Item, DomainError> {
        Ok(Item::new(Self::key(&TenantId::acting_for(&self.org_id), &self.id), self.version, self)?)
    }

    /// The models its steps use, each once.
    pub fn models(&self) -> Vec<Model> {
        let mut models: Vec<Model> = self.steps.iter().filter_map(|s| s.model).collect();
        models.sort();
        models.dedup();
        models
    }
}

/// A project's record of one model's estimates against its actuals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub project_id: ProjectId,
    pub model: Model,
    pub runs: u64,
    /// Running mean of actual cost / list-price estimate.
    pub mean_ratio: f64,
    /// Running sum of squared deviations of that ratio (Welford).
    pub m2: f64,
    /// Sum of each run's |estimate − actual| / actual.
    pub sum_ape: f64,
    /// 0 until the first run is recorded.
    pub version: u64,
}

impl Calibration {
    pub fn key(tenant: &TenantId, project: &ProjectId, model: Model) -> Key {
        Key::tenant(tenant, format!("PLANCAL#{project}#{model}"))
    }

    pub fn from_item(project: &ProjectId, model: Model, item: Option<&Item>) -> Result<Self, DomainError> {
        match item {
            Some(item) => Ok(item.parse()?),
            None => Ok(Self {
                project_id: project.clone(),
                model,
                runs: 0,
                mean_ratio: 1.0,
                m2: 0.0,
                sum_ape: 0.0,
                version: 0,
            }),
        }
    }

    pub fn item(&self, tenant: &TenantId) -> Result<Item, DomainError> {
        Ok(Item::new(Self::key(tenant, &self.project_id, self.model), self.version, self)?)
    }

    /// The recorded ratio's mean, shrunk towards 1 by [`PRIOR_RUNS`].
    pub fn multiplier(&self) -> f64 {
        let runs = self.runs as f64;
        1.0 + (self.mean_ratio - 1.0) * runs / (runs + PRIOR_RUNS)
    }

    /// The ratio's sample standard deviation, from the second run on.
    pub fn spread(&self) -> Option<f64> {
        (self.runs >= 2).then(|| (self.m2 / (self.runs - 1) as f64).max(0.0).sqrt())
    }

    pub fn mape_percent(&self) -> Option<f64> {
        (self.runs >= 1).then(|| round(self.sum_ape / self.runs as f64 * 100.0, 2))
    }

    pub fn view(&self) -> CalibrationView {
        CalibrationView {
            model: self.model,
            runs: self.runs,
            multiplier: round(self.multiplier(), 4),
            mape_percent: self.mape_percent(),
            spread: self.spread().map(|s| round(s, 4)),
        }
    }

    /// One run on: the model's steps were estimated at `list` (before
    /// calibration) and `issued` (as estimated), and cost `actual`.
    pub fn recorded(&self, list: f64, issued: f64, actual: f64) -> Self {
        let mut next = self.clone();
        next.version += 1;
        if list > 0.0 {
            let ratio = actual / list;
            next.runs += 1;
            let delta = ratio - self.mean_ratio;
            next.mean_ratio = if self.runs == 0 { ratio } else { self.mean_ratio + delta / next.runs as f64 };
            next.m2 = if self.runs == 0 { 0.0 } else { self.m2 + delta * (ratio - next.mean_ratio) };
            next.sum_ape += if actual > 0.0 { (issued - actual).abs() / actual } else { 1.0 };
        }
        next
    }
}

fn round(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

fn usd(value: f64) -> f64 {
    round(value, 6)
}

/// The MCP gateway's fee per tool call (the usage price table's).
pub fn gateway_fee_usd() -> f64 {
    Service::McpCalls.unit_price_usd()
}

/// A step checked against its bounds: `steps[i]`'s problems name the field.
fn check_step(i: usize, step: &PlanStep) -> Vec<FieldError> {
    let field = |name: &str| format!("steps[{i}].{name}");
    let mut errors = Vec::new();
    match step {
        PlanStep::Model(m) => {
            for (text, tokens, what) in
                [(&m.prompt, m.prompt_tokens, "prompt"), (&m.response, m.response_tokens, "response")]
            {
                match (text, tokens) {
                    (Some(_), Some(_)) => {
                        errors.push(FieldError::new(field(what), format!("give `{what}` or `{what}_tokens`, not both")))
                    }
                    (None, None) => {
                        errors.push(FieldError::new(field(what), format!("give `{what}` or `{what}_tokens`")))
                    }
                    (None, Some(n)) if n > MAX_TOKENS => {
                        errors.push(FieldError::new(field(&format!("{what}_tokens")), format!("at most {MAX_TOKENS}")))
                    }
                    _ => {}
                }
            }
            if m.repeat.is_some_and(|r| !(1..=MAX_REPEAT).contains(&r)) {
                errors.push(FieldError::new(field("repeat"), format!("from 1 to {MAX_REPEAT}")));
            }
        }
        PlanStep::Tool(t) => {
            if t.tool.trim().is_empty() || t.tool.chars().count() > 200 {
                errors.push(FieldError::new(field("tool"), "1 to 200 characters"));
            }
            if t.calls.is_some_and(|c| !(1..=MAX_REPEAT).contains(&c)) {
                errors.push(FieldError::new(field("calls"), format!("from 1 to {MAX_REPEAT}")));
            }
            if t.unit_price_usd.is_some_and(|p| !(0.0..=MAX_TOOL_PRICE_USD).contains(&p)) {
                errors.push(FieldError::new(field("unit_price_usd"), format!("from 0 to {MAX_TOOL_PRICE_USD}")));
            }
        }
    }
    errors
}

/// Checks a plan's steps: 1 to [`MAX_STEPS`], each within its bounds.
pub fn check(steps: &[PlanStep]) -> Result<(), DomainError> {
    if steps.is_empty() || steps.len() > MAX_STEPS {
        return Err(DomainError::field("steps", format!("give 1 to {MAX_STEPS} steps")));
    }
    let errors: Vec<FieldError> = steps.iter().enumerate().flat_map(|(i, s)| check_step(i, s)).collect();
    match errors.is_empty() {
        true => Ok(()),
        false => Err(DomainError::Validation(errors)),
    }
}

/// The steps estimated and their total, under `calibration` (by model;
/// a model without one is uncalibrated).
pub struct Estimated {
    pub steps: Vec<StepEstimate>,
    pub cost_usd: f64,
    pub low_usd: f64,
    pub high_usd: f64,
}

fn model_cost(price: &Price, prompt: u64, response: u64) -> (f64, f64) {
    (prompt as f64 * price.input_per_million / 1e6, response as f64 * price.output_per_million / 1e6)
}

/// Estimates checked steps ([`check`]) under the project's `calibration`
/// (by model; a model without recorded runs is uncalibrated) and the org's
/// tool prices.
pub fn estimate(steps: &[PlanStep], calibration: &BTreeMap<Model, Calibration>, tools: &ToolPrices) -> Estimated {
    let mut out = Vec::with_capacity(steps.len());
    let mut variance = 0.0;
    for step in steps {
        let (estimate, sd) = match step {
            PlanStep::Model(m) => {
                let price = m.model.price();
                let tokens = |text: &Option<String>, given: Option<u64>| match (text, given) {
                    (Some(text), _) => price.tokenizer.count(text),
                    (None, given) => (given.unwrap_or(0), TokenSource::Given),
                };
                let (prompt, prompt_source) = tokens(&m.prompt, m.prompt_tokens);
                let (response, response_source) = tokens(&m.response, m.response_tokens);
                let calls = m.repeat.unwrap_or(1);
                let (input, output) = model_cost(&price, prompt, response);
                let list = (input + output) * f64::from(calls);
                let calibrated = calibration.get(&m.model);
                let multiplier = calibrated.map_or(1.0, Calibration::multiplier);
                let cost = list * multiplier;
                // Repeats of one call err together; steps independently.
                let sd = match calibrated.and_then(Calibration::spread) {
                    Some(spread) => list * spread,
                    None => {
                        let (p, r) = (input * prompt_source.prompt_spread(), output * RESPONSE_SPREAD);
                        (p * p + r * r).sqrt() * f64::from(calls) * multiplier
                    }
                };
                let estimate = StepEstimate {
                    kind: StepKind::Model,
                    model: Some(m.model),
                    tool: None,
                    prompt_tokens: Some(prompt),
                    prompt_source: Some(prompt_source),
                    response_tokens: Some(response),
                    response_source: Some(response_source),
                    unit_price_usd: None,
                    price_source: None,
                    calls,
                    list_cost_usd: usd(list),
                    multiplier: round(multiplier, 4),
                    cost_usd: usd(cost),
                    low_usd: usd((cost - Z * sd).max(0.0)),
                    high_usd: usd(cost + Z * sd),
                };
                (estimate, sd)
            }
            PlanStep::Tool(t) => {
                let calls = t.calls.unwrap_or(1);
                let tool = t.tool.trim();
                let (unit, source) = match (t.unit_price_usd, tools.price_of(tool)) {
                    (Some(price), _) => (price, PriceSource::Step),
                    (None, Some(price)) => (price, PriceSource::Table),
                    (None, None) => (0.0, PriceSource::FeeOnly),
                };
                let cost = (gateway_fee_usd() + unit) * f64::from(calls);
                let estimate = StepEstimate {
                    kind: StepKind::Tool,
                    model: None,
                    tool: Some(tool.to_owned()),
                    prompt_tokens: None,
                    prompt_source: None,
                    response_tokens: None,
                    response_source: None,
                    unit_price_usd: Some(unit),
                    price_source: Some(source),
                    calls,
                    list_cost_usd: usd(cost),
                    multiplier: 1.0,
                    cost_usd: usd(cost),
                    low_usd: usd(cost),
                    high_usd: usd(cost),
                };
                (estimate, 0.0)
            }
        };
        variance += sd * sd;
        out.push(estimate);
    }
    let cost: f64 = out.iter().map(|s| s.cost_usd).sum();
    let sd = variance.sqrt();
    Estimated { steps: out, cost_usd: usd(cost), low_usd: usd((cost - Z * sd).max(0.0)), high_usd: usd(cost + Z * sd) }
}

/// Cents, rounded up: a budget is not passed by rounding down.
pub fn cents(usd: f64) -> u64 {
    (usd * 100.0).ceil().max(0.0) as u64
}

/// How `cost_usd` (and its interval's `high_usd`) sits against `budget`
/// after `month_to_date_cents`, and the thresholds (percent, ascending)
/// the month would pass.
pub fn fit(
    period: String,
    budget: Option<u64>,
    thresholds: &[u16],
    month_to_date_cents: u64,
    cost_usd: f64,
    high_usd: f64,
) -> BudgetFit {
    let Some(budget) = budget else {
        return BudgetFit {
            period,
            budget_cents: None,
            month_to_date_cents,
            remaining_cents: None,
            fits: true,
            fits_high: true,
            warnings: Vec::new(),
        };
    };
    let remaining = budget.saturating_sub(month_to_date_cents);
    let after = u128::from(month_to_date_cents) + u128::from(cents(cost_usd));
    let warnings = thresholds
        .iter()
        .filter(|t| after * 100 >= u128::from(**t) * u128::from(budget))
        .map(|t| BudgetWarning {
            threshold: *t,
            message: format!("with this plan the month's cost passes {t}% of the budget"),
        })
        .collect();
    BudgetFit {
        period,
        budget_cents: Some(budget),
        month_to_date_cents,
        remaining_cents: Some(remaining),
        fits: cents(cost_usd) <= remaining,
        fits_high: cents(high_usd) <= remaining,
        warnings,
    }
}

/// The marker that `threshold` of the project's budget was reported
/// crossed by a plan in `period` (once a month each).
fn threshold_key(tenant: &TenantId, project: &ProjectId, period: &str, threshold: u16) -> Key {
    Key::tenant(tenant, format!("PLANBUDGET#{project}#{period}#{threshold}"))
}

/// Publishes `budget.threshold_crossed` for each of the plan's budget
/// warnings not yet published for its project this month, each with its
/// marker in its own transaction (a marker written meanwhile skips its
/// threshold). Returns the thresholds published.
pub async fn emit_thresholds(
    store: &dyn Store,
    ctx: &TenantContext,
    plan: &PlanEstimate,
) -> Result<Vec<u16>, DomainError> {
    let fit = &plan.budget;
    if fit.warnings.is_empty() {
        return Ok(Vec::new());
    }
    let keys: Vec<Key> =
        fit.warnings.iter().map(|w| threshold_key(ctx.tenant(), &plan.project_id, &fit.period, w.threshold)).collect();
    let markers = store.batch_get(&keys).await?;
    let mut published = Vec::new();
    for ((warning, key), marker) in fit.warnings.iter().zip(keys).zip(markers) {
        if marker.is_some() {
            continue;
        }
        let metadata = serde_json::json!({
            "period": fit.period,
            "threshold": warning.threshold,
            "budget_cents": fit.budget_cents,
            "month_to_date_cents": fit.month_to_date_cents,
            "plan_id": plan.id,
            "plan_cost_cents": cents(plan.cost_usd),
        });
        let event = AuditEvent::new(ctx, "budget.threshold_crossed", "project", &plan.project_id, metadata)
            .for_project(&plan.project_id);
        let marker =
            WriteOp::put_if(Item::new(key, 1, serde_json::json!({ "plan_id": plan.id }))?, Condition::NotExists);
        if crate::domain::usage::emit_once(store, marker, event).await? {
            published.push(warning.threshold);
        }
    }
    Ok(published)
}

/// What one step really took, as reported.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportedStep {
    /// A model step's prompt tokens per call.
    #[schema(maximum = 10_000_000)]
    pub prompt_tokens: Option<u64>,
    /// A model step's response tokens per call.
    #[schema(maximum = 10_000_000)]
    pub response_tokens: Option<u64>,
    /// Calls made (the planned number by default).
    #[schema(minimum = 0, maximum = 10_000)]
    pub calls: Option<u32>,
}

/// The plan's actuals from what was reported (one entry per planned step,
/// in order), at list prices: 422 naming the entry that does not fit its
/// step.
pub fn actuals(plan: &PlanEstimate, reported: &[ReportedStep]) -> Result<(Vec<StepActual>, f64), DomainError> {
    if reported.len() != plan.steps.len() {
        let message = format!("give one entry per planned step ({}), in order", plan.steps.len());
        return Err(DomainError::field("steps", message));
    }
    let mut errors = Vec::new();
    let mut steps = Vec::with_capacity(reported.len());
    for (i, (planned, got)) in plan.steps.iter().zip(reported).enumerate() {
        let field = |name: &str| format!("steps[{i}].{name}");
        let calls = got.calls.unwrap_or(planned.calls);
        if calls > MAX_REPEAT {
            errors.push(FieldError::new(field("calls"), format!("at most {MAX_REPEAT}")));
        }
        let step = match (planned.kind, planned.model) {
            (StepKind::Model, Some(model)) => {
                let mut tokens = |value: Option<u64>, name: &str| match value {
                    Some(n) if n <= MAX_TOKENS => n,
                    Some(_) => {
                        errors.push(FieldError::new(field(name), format!("at most {MAX_TOKENS}")));
                        0
                    }
                    None => {
                        errors.push(FieldError::new(field(name), "a model step's actual tokens are required"));
                        0
                    }
                };
                let prompt = tokens(got.prompt_tokens, "prompt_tokens");
                let response = tokens(got.response_tokens, "response_tokens");
                let (input, output) = model_cost(&model.price(), prompt, response);
                StepActual {
                    prompt_tokens: Some(prompt),
                    response_tokens: Some(response),
                    calls,
                    cost_usd: usd((input + output) * f64::from(calls)),
                }
            }
            _ => {
                for (value, name) in [(got.prompt_tokens, "prompt_tokens"), (got.response_tokens, "response_tokens")] {
                    if value.is_some() {
                        errors.push(FieldError::new(field(name), "a tool step has no tokens"));
                    }
                }
                let unit = if planned.calls == 0 { 0.0 } else { planned.list_cost_usd / f64::from(planned.calls) };
                StepActual { prompt_tokens: None, response_tokens: None, calls, cost_usd: usd(unit * f64::from(calls)) }
            }
        };
        steps.push(step);
    }
    if !errors.is_empty() {
        return Err(DomainError::Validation(errors));
    }
    let total = usd(steps.iter().map(|s| s.cost_usd).sum());
    Ok((steps, total))
}

/// Per model the plan used: its steps' list estimate, issued estimate and
/// actual cost, for [`Calibration::recorded`].
pub fn by_model(plan: &PlanEstimate, actual: &[StepActual]) -> BTreeMap<Model, (f64, f64, f64)> {
    let mut sums: BTreeMap<Model, (f64, f64, f64)> = BTreeMap::new();
    for (planned, got) in plan.steps.iter().zip(actual) {
        if let Some(model) = planned.model {
            let entry = sums.entry(model).or_default();
            entry.0 += planned.list_cost_usd;
            entry.1 += planned.cost_usd;
            entry.2 += got.cost_usd;
        }
    }
    sums
}

/// (estimate − actual) / actual in percent; `None` when the run cost nothing.
pub fn error_percent(estimated: f64, actual: f64) -> Option<f64> {
    (actual > 0.0).then(|| round((estimated - actual) / actual * 100.0, 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(model: Model, prompt: &str, response_tokens: u64) -> PlanStep {
        PlanStep::Model(ModelStep {
            model,
            prompt: Some(prompt.into()),
            prompt_tokens: None,
            response: None,
            response_tokens: Some(response_tokens),
            repeat: None,
        })
    }

    #[test]
    fn text_is_counted_with_the_models_tokenizer_or_approximated_for_unpublished_ones() {
        let text = "The quick brown fox jumps over the lazy dog.";
        assert_eq!(Tokenizer::O200k.count(text), (10, TokenSource::Counted));
        assert_eq!(Tokenizer::Cl100k.count(text), (10, TokenSource::Counted));
        assert_eq!(Tokenizer::Approximated { factor: 1.2 }.count(text), (12, TokenSource::Approximated));
        assert_eq!(Tokenizer::O200k.count(""), (0, TokenSource::Counted));
    }

    #[test]
    fn each_step_costs_its_tokens_at_list_price_and_the_total_has_an_interval() {
        // 1,000 prompt tokens given and 500 response tokens on gpt-4o:
        // $0.0025 + $0.005, three times; and 4 tool calls at the gateway fee.
        let steps = vec![
            PlanStep::Model(ModelStep {
                model: Model::Gpt4o,
                prompt: None,
                prompt_tokens: Some(1_000),
                response: None,
                response_tokens: Some(500),
                repeat: Some(3),
            }),
            PlanStep::Tool(ToolStep { tool: "search".into(), calls: Some(4), unit_price_usd: Some(0.01) }),
        ];
        check(&steps).unwrap();
        let estimated = estimate(&steps, &BTreeMap::new(), &ToolPrices::default());
        assert_eq!(estimated.steps[0].cost_usd, 0.0225);
        assert_eq!(estimated.steps[0].prompt_source, Some(TokenSource::Given));
        assert_eq!(estimated.steps[1].cost_usd, 0.0404, "4 × ($0.0001 fee + $0.01)");
        assert_eq!(estimated.cost_usd, 0.0629);
        // sd = 3 × √((0.0025 × 0.10)² + (0.005 × 0.30)²) = 0.0045621…, × 1.645 = 0.0075047…
        assert_eq!((estimated.low_usd, estimated.high_usd), (0.055395, 0.070405));
    }

    #[test]
    fn a_tool_takes_its_steps_price_else_its_own_entry_else_its_servers_else_the_fee_alone() {
        let now = Utc::now();
        let edit = EditToolPrices { prices: BTreeMap::from([("search".into(), 0.01), ("github.*".into(), 0.002)]) };
        let table = ToolPrices::default().edited(edit, now).unwrap();
        assert_eq!(table.price_of("search"), Some(0.01));
        assert_eq!(table.price_of("github.create_issue"), Some(0.002));
        assert_eq!(table.price_of("gitlab.create_issue"), None);
        let step = |tool: &str, price: Option<f64>| {
            PlanStep::Tool(ToolStep { tool: tool.into(), calls: Some(2), unit_price_usd: price })
        };
        let steps = [step("search", None), step("github.list", None), step("other", None), step("search", Some(0.5))];
        let estimated = estimate(&steps, &BTreeMap::new(), &table);
        let got: Vec<(Option<PriceSource>, f64)> =
            estimated.steps.iter().map(|s| (s.price_source, s.cost_usd)).collect();
        assert_eq!(
            got,
            [
                (Some(PriceSource::Table), 0.0202),
                (Some(PriceSource::Table), 0.0042),
                (Some(PriceSource::FeeOnly), 0.0002),
                (Some(PriceSource::Step), 1.0002),
            ]
        );
        for bad in ["", "two words", "a*b.*", ".*"] {
            let edit = EditToolPrices { prices: BTreeMap::from([(bad.to_owned(), 1.0)]) };
            assert!(ToolPrices::default().edited(edit, now).is_err(), "{bad:?}");
        }
        let negative = EditToolPrices { prices: BTreeMap::from([("search".to_owned(), -1.0)]) };
        let Err(DomainError::Validation(errors)) = ToolPrices::default().edited(negative, now) else { panic!() };
        assert_eq!(errors[0].field, "prices.search");
    }

    #[test]
    fn steps_are_checked_field_by_field() {
        let both = PlanStep::Model(ModelStep {
            model: Model::O3,
            prompt: Some("hi".into()),
            prompt_tokens: Some(2),
            response: None,
            response_tokens: None,
            repeat: Some(0),
        });
        let Err(DomainError::Validation(errors)) = check(&[both]) else { panic!("refused") };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["steps[0].prompt", "steps[0].response", "steps[0].repeat"]);
        assert!(check(&[]).is_err());
    }

    #[test]
    fn recorded_runs_move_the_multiplier_and_replace_the_default_spread() {
        let project = ProjectId::generate();
        let none = Calibration::from_item(&project, Model::Gpt4o, None).unwrap();
        assert_eq!((none.multiplier(), none.spread(), none.mape_percent()), (1.0, None, None));
        // The runs cost 1.5× and 2.5× the list estimate.
        let one = none.recorded(1.0, 1.0, 1.5);
        assert_eq!((one.runs, one.mean_ratio), (1, 1.5));
        assert!((one.multiplier() - (1.0 + 0.5 / 3.0)).abs() < 1e-12, "a third of the way");
        assert_eq!(one.mape_percent(), Some(33.33), "|1 − 1.5| / 1.5");
        let two = one.recorded(2.0, 2.0 * one.multiplier(), 5.0);
        assert_eq!((two.runs, two.mean_ratio), (2, 2.0));
        assert!((two.spread().unwrap() - 0.5f64.sqrt()).abs() < 1e-12, "sd of 1.5 and 2.5");
        assert_eq!(two.multiplier(), 1.5, "mean 2 shrunk by two pretend runs at 1");

        // The calibrated estimate multiplies and takes the observed spread.
        let steps = vec![model(Model::Gpt4o, "hello", 1_000)];
        let plain = estimate(&steps, &BTreeMap::new(), &ToolPrices::default());
        let calibrated = estimate(&steps, &BTreeMap::from([(Model::Gpt4o, two.clone())]), &ToolPrices::default());
        assert_eq!(calibrated.steps[0].list_cost_usd, plain.steps[0].list_cost_usd);
        assert_eq!(calibrated.steps[0].multiplier, 1.5);
        // 1 prompt token and 1,000 response tokens: $0.0100025 at list price.
        let list = 0.0100025;
        let close = |a: f64, b: f64| (a - b).abs() < 1e-6;
        assert!(close(calibrated.cost_usd, list * 1.5), "{}", calibrated.cost_usd);
        assert!(close(calibrated.high_usd, list * 1.5 + Z * list * 0.5f64.sqrt()), "{}", calibrated.high_usd);
    }

    #[test]
    fn the_budget_fit_warns_at_each_threshold_the_month_would_pass() {
        let fit = fit("2026-12".into(), Some(10_000), &[50, 80, 100], 7_000, 12.0, 40.0);
        assert_eq!((fit.remaining_cents, fit.fits, fit.fits_high), (Some(3_000), true, false));
        let thresholds: Vec<u16> = fit.warnings.iter().map(|w| w.threshold).collect();
        assert_eq!(thresholds, [50, 80], "$70 + $12 of $100");
        let free = super::fit("2026-12".into(), None, &[50], 7_000, 1e6, 1e6);
        assert!(free.fits && free.warnings.is_empty());
    }
}
