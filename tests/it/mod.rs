mod autocomplete;
mod cli;
mod daily;
mod date_forms;
mod dates;
mod discord;
mod discord_quiz;
mod facts;
/// The fake Discord, loaded once for every module that drives the bot.
#[path = "../fake_discord/mod.rs"]
pub mod fake_discord;
mod layers;
mod lookups;
mod pack;
mod props;
mod queries;
mod quiz;
mod quiz_fairness;
mod runner;
mod schema;
mod search;
mod selfhost;
mod store;
pub mod support;
mod validation;
