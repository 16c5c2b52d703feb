//! The HTTP edge: authentication, extractors and middleware, the
//! problem+json rendering of errors and the OpenAPI document. It imports
//! the layers below it and never the composition root (`app`).

pub mod auth;
pub mod error;
pub mod http;
pub mod openapi;
pub mod state;

pub use state::AppState;
