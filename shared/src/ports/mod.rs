//! The ports and their adapters, one folder or file per port: the store,
//! the queue, secrets, blobs, the event bus, outbound HTTP, upstream MCP servers and the AWS
//! configuration the AWS adapters share. Ports import the base layer only.

pub mod aws;
pub mod blobs;
pub mod bus;
pub mod mcp_upstream;
pub mod outbound;
pub mod queue;
pub mod regional;
pub mod secrets;
pub mod store;
