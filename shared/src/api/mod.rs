//! The REST routes more than one front door serves. Each function's router
//! lists them like its own, and the MCP gateway runs them in process for
//! its built-in tools, so a tool call is authenticated, authorized,
//! validated and answered exactly as its route is (the same input types,
//! the same checks, the same errors).

pub mod audit;
pub mod jobs;
pub mod projects;
pub mod schedules;
pub mod sources;
pub mod usage;
