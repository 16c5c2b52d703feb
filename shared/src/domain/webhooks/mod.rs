//! Webhooks to the Standard Webhooks spec: signing secrets and signatures
//! (`signature.rs`), the checks a target URL passes before anything is
//! sent to it (`target.rs`), and one delivery attempt to a checked target
//! (`deliver.rs`). The endpoints, fan-out and retries build on these.

pub mod deliver;
pub mod fanout;
pub mod job;
pub mod signature;
pub mod target;
