//! The base layer: ids, users, tenants and their context, roles and
//! permissions, text and digest helpers, the redaction engine, residency regions. It imports no other layer.

pub mod access;
pub mod digest;
pub mod error;
pub mod files;
pub mod ids;
pub mod rbac;
pub mod redact;
pub mod request;
pub mod residency;
pub mod tenant;
pub mod text;
pub mod user;
