mod cli;
mod daily;
mod dates;
mod pack;
mod props;
mod schema;
mod search;
pub mod support;
mod validation;
