//! The organization's audit log: its events and the check of its chain.

pub mod list;
pub mod verify;
