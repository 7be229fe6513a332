//! The Discord adapter. `payload` is the wire shape of replies (no serenity needed, so the console
//! can print exactly what the bot sends).

pub mod payload;
