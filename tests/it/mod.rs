mod cli;
mod daily;
mod dates;
mod discord;
mod discord_quiz;
mod docker;
mod facts;
/// The fake Discord, loaded once for every module that drives the bot.
#[path = "../fake_discord/mod.rs"]
pub mod fake_discord;
mod fuzz_cases;
mod input_edges;
mod knowledge_guards;
mod layers;
mod pack;
mod props;
mod quiz;
mod reports;
mod runner;
mod schema;
mod search;
mod selfhost;
mod store;
mod store_health;
pub mod support;
mod validation;
