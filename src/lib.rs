//! Clio: historical facts from a TOML knowledge base, for Discord and the terminal.
//!
//! The core (`knowledge`, `search`, `dates`, `answers`, `i18n`) knows nothing of Discord: plain data
//! in, plain data out. The adapters (`discord`, `console`) render and deliver the same replies.

pub mod answers;
pub mod config;
pub mod console;
pub mod daily;
pub mod dates;
pub mod discord;
pub mod i18n;
pub mod knowledge;
pub mod ops;
pub mod quiz;
pub mod search;
pub mod store;
