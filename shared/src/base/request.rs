//! What the layers below the edge know of the request that caused their
//! work: the edge fills it in, audit events record it.

/// Facts about the request that handlers and audit events need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestMeta {
    pub request_id: String,
    /// `METHOD /path`, for denied-access audit records.
    pub request_line: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl RequestMeta {
    /// A request id of our own (`req_…`), for a request that brought none.
    pub fn fresh_id() -> String {
        format!("req_{}", ulid::Ulid::new().to_string().to_lowercase())
    }
}
