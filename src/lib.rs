//! Clio: historical facts from a TOML knowledge base, for Discord and the terminal.
//!
//! Layers, each using only the ones before it (`tests/it/layers.rs` keeps it so):
//! 1. neutral bits: [`reply`] (the transport-neutral reply model), [`text`], [`rng`], [`clock`],
//!    [`zone`] (IANA time zones), [`i18n`];
//! 2. [`dates`], [`search`];
//! 3. [`knowledge`] (entries, and authored quiz questions as plain data);
//! 4. [`answers`] (the commands' logic), [`daily`] (the daily post's schedule);
//! 5. [`quiz`] (which owns its persistence contract, `quiz::persist`);
//! 6. adapters: [`store`] (SQLite), [`ops`] (health, metrics), [`config`], [`discord`] (serenity),
//!    [`console`] (the `clio` CLI).

pub mod clock;
pub mod i18n;
pub mod reply;
pub mod rng;
pub mod text;
pub mod zone;

pub mod dates;
pub mod search;

pub mod knowledge;

pub mod answers;
pub mod daily;

pub mod quiz;

pub mod config;
pub mod console;
pub mod discord;
pub mod ops;
pub mod store;

/// The allocator of every program built on this library: the bot, the `clio` CLI, the tests and
/// the benchmarks, so what is measured is what runs. mimalloc rather than glibc's malloc (issue
/// #14): loading a large pack is a few million small allocations and frees, and glibc spent a
/// third of the load in them (consolidating its free lists); its arenas per thread kept what
/// they once held, so memory after reloads depended on which threads had freed what. mimalloc
/// gives pages back by itself and at once when asked ([`knowledge`] does after a load).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
