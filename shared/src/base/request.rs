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
