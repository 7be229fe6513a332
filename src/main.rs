//! The `clio` binary: arguments, the knowledge directory, exit codes. Everything else is the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use clio::answers::Ctx;
use clio::i18n::Locale;
use clio::knowledge::{load_dir, KnowledgeBase};

#[derive(Parser)]
#[command(
    name = "clio",
    version,
    about = "Clio: a history bot for Discord, and its knowledge tools"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(clap::Args, Clone)]
struct KnowledgeArg {
    /// The knowledge directory (default: ./knowledge)
    #[arg(long, env = "CLIO_KNOWLEDGE_DIR", default_value = "knowledge")]
    knowledge: PathBuf,
}

#[derive(Subcommand)]
enum Cmd {
    /// Answer a command line as the bot would: `clio ask '/who Anders'`; `-` reads one per line from stdin
    Ask {
        /// Print exactly the interaction callback body the bot sends to Discord
        #[arg(long)]
        json: bool,
        /// The reader's locale (`en`, `pl`, or any Discord locale code)
        #[arg(long, default_value = "en")]
        locale: String,
        #[command(flatten)]
        knowledge: KnowledgeArg,
        /// What a user types, e.g. `/event 17 września 1939` or `/timeline from:1939-09-01 to:1939-10-06`
        #[arg(required = true, num_args = 1.., allow_hyphen_values = true)]
        command_line: Vec<String>,
    },
    /// Show what pressing a button does, by its custom_id
    Press {
        #[arg(long)]
        json: bool,
        #[arg(long, default_value = "en")]
        locale: String,
        #[command(flatten)]
        knowledge: KnowledgeArg,
        custom_id: String,
    },
    /// Validate a knowledge directory: every problem as file:line:column, then counts
    Check {
        /// The directory to check (default: $CLIO_KNOWLEDGE_DIR or ./knowledge)
        dir: Option<PathBuf>,
    },
    /// An interactive session: type commands, press buttons by number
    Console {
        #[arg(long, default_value = "en")]
        locale: String,
        #[command(flatten)]
        knowledge: KnowledgeArg,
    },
}

fn load(dir: &std::path::Path) -> Result<KnowledgeBase, ExitCode> {
    KnowledgeBase::load(dir).map_err(|report| {
        let mut err = std::io::stderr();
        clio::console::print_check(&report, &mut std::io::sink(), &mut err);
        let _ = writeln!(
            err,
            "clio: fix the knowledge base above (run `clio check {}`)",
            dir.display()
        );
        ExitCode::from(1)
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match cli.command {
        Cmd::Ask {
            json,
            locale,
            knowledge,
            command_line,
        } => {
            let kb = match load(&knowledge.knowledge) {
                Ok(kb) => kb,
                Err(code) => return code,
            };
            let locale = Locale::from_discord(&locale);
            let line = command_line.join(" ");
            let lines: Vec<String> = if line.trim() == "-" {
                std::io::stdin()
                    .lines()
                    .map_while(Result::ok)
                    .filter(|l| !l.trim().is_empty())
                    .collect()
            } else {
                vec![line]
            };
            let mut out = std::io::stdout().lock();
            let mut code = ExitCode::SUCCESS;
            for line in lines {
                match clio::console::ask(&kb, &line, locale, json, color, &Ctx::now()) {
                    Ok(text) => {
                        let _ = writeln!(out, "{}", text.trim_end());
                    }
                    Err(e) => {
                        eprintln!(
                            "clio: {e}\nusage: clio ask [--json] [--locale LOCALE] '/who Anders'"
                        );
                        code = ExitCode::from(2);
                    }
                }
            }
            code
        }
        Cmd::Press {
            json,
            locale,
            knowledge,
            custom_id,
        } => {
            let kb = match load(&knowledge.knowledge) {
                Ok(kb) => kb,
                Err(code) => return code,
            };
            let text = clio::console::press(
                &kb,
                &custom_id,
                Locale::from_discord(&locale),
                json,
                color,
                &Ctx::now(),
            );
            println!("{}", text.trim_end());
            ExitCode::SUCCESS
        }
        Cmd::Check { dir } => {
            let dir = dir
                .or_else(|| std::env::var_os("CLIO_KNOWLEDGE_DIR").map(PathBuf::from))
                .unwrap_or_else(|| PathBuf::from("knowledge"));
            let report = load_dir(&dir);
            let ok =
                clio::console::print_check(&report, &mut std::io::stdout(), &mut std::io::stderr());
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Cmd::Console { locale, knowledge } => {
            let kb = match load(&knowledge.knowledge) {
                Ok(kb) => kb,
                Err(code) => return code,
            };
            let stdin = std::io::stdin().lock();
            let mut out = std::io::stdout().lock();
            match clio::console::console(&kb, Locale::from_discord(&locale), stdin, &mut out, color)
            {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("clio: {e}");
                    ExitCode::from(1)
                }
            }
        }
    }
}
