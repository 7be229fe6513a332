//! The `clio` binary: arguments, the knowledge directory, exit codes. Everything else is the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use clio::answers::Ctx;
use clio::i18n::Locale;
use clio::knowledge::{load_dir_with, KnowledgeBase, LoadLimits};

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
    /// Answer a command line as the bot would: `clio ask '/who NAME'`; `-` reads one per line from stdin
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
        #[arg(required = true, num_args = 1.., allow_negative_numbers = true)]
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
    /// Connect to Discord and serve every command (settings: config/clio.toml, DISCORD_TOKEN)
    Run,
    /// Print the slash commands as Clio registers them with Discord
    Commands {
        /// Print exactly the registration body (PUT /applications/{id}/commands)
        #[arg(long)]
        json: bool,
    },
    /// An interactive session: type commands, press buttons by number
    Console {
        #[arg(long, default_value = "en")]
        locale: String,
        /// Wrap text at this many columns (default: the terminal's width, or 80)
        #[arg(long, env = "COLUMNS")]
        width: Option<usize>,
        #[command(flatten)]
        knowledge: KnowledgeArg,
    },
    /// Ask the running bot's ops listener (`ops.listen`) whether it is alive: exit 0 if so, else 1
    Healthcheck {
        /// Ask whether it is ready (connected to Discord, knowledge loaded), not only alive
        #[arg(long)]
        ready: bool,
        /// Give up after this many seconds
        #[arg(long, default_value_t = 3)]
        timeout: u64,
    },
    /// Play a quiz in the terminal, or preview its questions: `clio quiz --preview --questions 20 --seed 1`
    Quiz(QuizArgs),
    /// List the reports of errors sent from Discord (the open ones, oldest first), for whoever maintains the knowledge
    Reports {
        /// Resolved reports too
        #[arg(long)]
        all: bool,
        /// One JSON array, for scripts
        #[arg(long)]
        json: bool,
        /// The bot's data directory, where `clio run` keeps its database
        #[arg(long, env = "CLIO_DATA_DIR", default_value = "data")]
        data: PathBuf,
        /// The bot's PostgreSQL database instead (`data.database_url`): postgres://...
        #[arg(long, env = "CLIO_DATA__DATABASE_URL")]
        database_url: Option<String>,
    },
    /// Copy a SQLite data directory into PostgreSQL and say what was copied: `clio migrate --data data --to postgres://...`
    Migrate {
        /// The data directory whose database to copy
        #[arg(long, env = "CLIO_DATA_DIR", default_value = "data")]
        data: PathBuf,
        /// The PostgreSQL database to copy into, postgres://USER:PASSWORD@HOST:PORT/DATABASE
        #[arg(long)]
        to: String,
        /// Empty the target first when it already holds data (without it, such a target is refused)
        #[arg(long)]
        replace: bool,
    },
}

#[derive(clap::Args)]
struct QuizArgs {
    /// Print the questions, answers and sources instead of playing, to vet them before the night
    #[arg(long)]
    preview: bool,
    /// How many questions (1-50)
    #[arg(long, default_value_t = 10)]
    questions: usize,
    /// Seconds per question (5-120)
    #[arg(long, default_value_t = 20)]
    seconds: u32,
    /// Draw questions from a tag, a period or an entry (its id or name, or a year)
    #[arg(long)]
    topic: Option<String>,
    /// The same seed gives the same quiz (default: a new one each time, printed)
    #[arg(long)]
    seed: Option<u64>,
    #[arg(long, default_value = "en")]
    locale: String,
    #[command(flatten)]
    knowledge: KnowledgeArg,
}

fn load(dir: &std::path::Path) -> Result<KnowledgeBase, ExitCode> {
    KnowledgeBase::load(dir).map_err(|report| {
        let mut err = std::io::stderr();
        report.print(&mut std::io::sink(), &mut err);
        let _ = writeln!(
            err,
            "clio: fix the knowledge base above (run `clio check {}`)",
            dir.display()
        );
        ExitCode::from(1)
    })
}

/// The knowledge limits for `clio check`: those of the configuration when there is one
/// (`knowledge.max_file_mb` and the like), else the defaults.
fn check_limits() -> LoadLimits {
    match clio::config::Config::load() {
        Ok(config) => config.knowledge.limits,
        Err(e) => {
            eprintln!("clio: {e}\nclio: checking with the default limits");
            LoadLimits::default()
        }
    }
}

/// Write to standard output. A reader that went away (`clio press ... | head`) ends Clio quietly
/// with exit 0: there is no one left to tell.
fn emit(out: &mut impl Write, text: &str) {
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("clio: cannot write to standard output: {e}");
        std::process::exit(1);
    }
}

/// The exit for an output error: quiet and 0 when the reader went away, else said and 1.
fn failed(e: std::io::Error) -> ExitCode {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return ExitCode::SUCCESS;
    }
    eprintln!("clio: {e}");
    ExitCode::from(1)
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
            let mut out = std::io::stdout().lock();
            let mut code = ExitCode::SUCCESS;
            // Answer one line; false when it was not a command.
            let answer = |line: &str, out: &mut std::io::StdoutLock| match clio::console::ask(
                &kb,
                line,
                locale,
                json,
                color,
                &Ctx::at(&clio::clock::SystemClock),
            ) {
                Ok(text) => {
                    emit(out, &format!("{}\n", text.trim_end()));
                    true
                }
                Err(e) => {
                    eprintln!("clio: {e}\nusage: clio ask [--json] [--locale LOCALE] '/who NAME'");
                    false
                }
            };
            if line.trim() == "-" {
                // One command per line. A line that is not UTF-8 is answered with an error, and
                // the lines after it are still read.
                let mut stdin = std::io::stdin().lock();
                let mut raw = Vec::new();
                let mut number = 0;
                loop {
                    raw.clear();
                    match std::io::BufRead::read_until(&mut stdin, b'\n', &mut raw) {
                        Ok(0) => break,
                        Ok(_) => {}
                        Err(e) => {
                            eprintln!("clio: cannot read standard input: {e}");
                            return ExitCode::from(1);
                        }
                    }
                    number += 1;
                    match std::str::from_utf8(&raw) {
                        Ok(text) if text.trim().is_empty() => {}
                        Ok(text) => {
                            if !answer(text.trim_end_matches(['\n', '\r']), &mut out) {
                                code = ExitCode::from(2);
                            }
                        }
                        Err(e) => {
                            eprintln!(
                                "clio: line {number} is not UTF-8 text (invalid byte at offset \
                                 {}); skipped it",
                                e.valid_up_to()
                            );
                            code = ExitCode::from(2);
                        }
                    }
                }
            } else if !answer(&line, &mut out) {
                code = ExitCode::from(2);
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
                &Ctx::at(&clio::clock::SystemClock),
            );
            emit(&mut std::io::stdout(), &format!("{}\n", text.trim_end()));
            ExitCode::SUCCESS
        }
        Cmd::Check { dir } => {
            let dir = dir
                .or_else(|| std::env::var_os("CLIO_KNOWLEDGE_DIR").map(PathBuf::from))
                .unwrap_or_else(|| PathBuf::from("knowledge"));
            let report = load_dir_with(&dir, &check_limits());
            let ok = report.print(&mut std::io::stdout(), &mut std::io::stderr());
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Cmd::Run => match clio::discord::run() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("clio: {e}");
                ExitCode::from(e.exit_code())
            }
        },
        Cmd::Commands { json } => {
            if json {
                emit(
                    &mut std::io::stdout(),
                    &format!("{}\n", clio::discord::commands::registration_body()),
                );
            } else {
                emit(&mut std::io::stdout(), &clio::discord::commands::summary());
            }
            ExitCode::SUCCESS
        }
        Cmd::Quiz(args) => quiz(args),
        Cmd::Reports {
            all,
            json,
            data,
            database_url,
        } => reports(&data, database_url.as_deref(), all, json),
        Cmd::Migrate { data, to, replace } => migrate(&data, &to, replace),
        Cmd::Healthcheck { ready, timeout } => healthcheck(ready, timeout),
        Cmd::Console {
            locale,
            width,
            knowledge,
        } => {
            let kb = match load(&knowledge.knowledge) {
                Ok(kb) => kb,
                Err(code) => return code,
            };
            match clio::console::run_console(&kb, Locale::from_discord(&locale), width, color) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => failed(e),
            }
        }
    }
}

/// `clio healthcheck`: GET /healthz (or /readyz) on `ops.listen`, from the same configuration as
/// `clio run`; one line either way, exit 0 or 1.
fn healthcheck(ready: bool, timeout: u64) -> ExitCode {
    let config = match clio::config::Config::load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("clio: {e}");
            return ExitCode::from(1);
        }
    };
    let Some(addr) = config.ops.listen else {
        eprintln!(
            "unhealthy: the ops listener is off; set `ops.listen` (or CLIO_OPS__LISTEN), e.g. 127.0.0.1:9090"
        );
        return ExitCode::from(1);
    };
    let path = if ready { "/readyz" } else { "/healthz" };
    let timeout = std::time::Duration::from_secs(timeout.max(1));
    match clio::ops::healthcheck(&addr.to_string(), path, timeout) {
        Ok(()) => {
            println!(
                "{}: {path} on {addr} answered 200",
                if ready { "ready" } else { "healthy" }
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            println!("{}: {e}", if ready { "not ready" } else { "unhealthy" });
            ExitCode::from(1)
        }
    }
}

/// `clio quiz`: prepare a quiz with the bot's own engine, then preview it or play it.
fn quiz(args: QuizArgs) -> ExitCode {
    let kb = match load(&args.knowledge.knowledge) {
        Ok(kb) => kb,
        Err(code) => return code,
    };
    let locale = Locale::from_discord(&args.locale);
    let seed = args
        .seed
        .unwrap_or_else(|| Ctx::at(&clio::clock::SystemClock).seed);
    let config = clio::quiz::QuizConfig {
        questions: args.questions,
        seconds: args.seconds,
        // One player at a keyboard: they move on when they have read the answer.
        mode: clio::quiz::Mode::Host,
        topic: args.topic.filter(|t| !t.trim().is_empty()),
        seed,
        locale,
        ..Default::default()
    };
    let (session, _) = match clio::quiz::prepare(&kb, config, &Default::default()) {
        Ok(prepared) => prepared,
        Err(e) => {
            eprintln!("clio: {}", e.message(locale));
            return ExitCode::from(2);
        }
    };
    let mut out = std::io::stdout().lock();
    let result = if args.preview {
        clio::quiz::terminal::preview(&kb, session.questions(), seed, locale, &mut out)
    } else {
        let (lines, input) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::stdin().lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        let now = || {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as u64)
                .unwrap_or(0)
        };
        let look = clio::quiz::terminal::Look {
            color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            live: std::io::stdout().is_terminal() && std::io::stdin().is_terminal(),
        };
        clio::quiz::terminal::play_with(&kb, session, input, &mut out, now, look).map(|_| ())
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => failed(e),
    }
}

/// `clio reports`: the reports in the data directory's database, as text or JSON; exit 0 unless
/// the database cannot be read.
fn reports(dir: &std::path::Path, url: Option<&str>, all: bool, json: bool) -> ExitCode {
    use clio::store::{PgStore, ReportStore, SqliteStore, DB_FILE};
    let file = dir.join(DB_FILE);
    if let Some(url) = url {
        let listed =
            PgStore::open(url, std::time::Duration::ZERO).and_then(|store| store.all_reports(all));
        return match listed {
            Ok(reports) => print_reports(&reports, json, all, "PostgreSQL"),
            Err(e) => {
                eprintln!("clio: cannot read the reports: {e}");
                ExitCode::from(1)
            }
        };
    }
    if !file.is_file() {
        if json {
            println!("[]");
        }
        eprintln!(
            "No reports yet: there is no database at {}. `clio run` creates it there; if the bot \
             keeps its data elsewhere, pass --data DIR or set CLIO_DATA_DIR.",
            file.display()
        );
        return ExitCode::SUCCESS;
    }
    let listed = SqliteStore::open(dir).and_then(|store| store.all_reports(all));
    match listed {
        Ok(reports) => print_reports(&reports, json, all, &file.display().to_string()),
        Err(e) => {
            eprintln!("clio: cannot read the reports in {}: {e}", file.display());
            ExitCode::from(1)
        }
    }
}

/// `clio migrate`: copy, then one line per table with its row count.
fn migrate(dir: &std::path::Path, to: &str, replace: bool) -> ExitCode {
    use clio::store::migrate::{sqlite_to_postgres, MigrateError};
    if !clio::store::PgStore::is_url(to) {
        eprintln!(
            "clio: --to must be a PostgreSQL URL, postgres://USER:PASSWORD@HOST:PORT/DATABASE"
        );
        return ExitCode::from(2);
    }
    match sqlite_to_postgres(dir, to, replace) {
        Ok(copied) => {
            println!("Copied {} into PostgreSQL:", dir.display());
            for (table, rows) in &copied.tables {
                println!("  {table:<15} {rows} rows");
            }
            ExitCode::SUCCESS
        }
        Err(MigrateError::TargetNotEmpty(present)) => {
            let listed: Vec<String> = present.iter().map(|(t, n)| format!("{t}: {n}")).collect();
            eprintln!(
                "clio: the target database already holds data ({}); nothing was copied. Copy \
                 into an empty database, or pass --replace to empty this one first (its data \
                 is lost).",
                listed.join(", ")
            );
            ExitCode::from(1)
        }
        Err(MigrateError::Store(e)) => {
            eprintln!("clio: nothing was copied: {e}");
            ExitCode::from(1)
        }
    }
}

/// The reports, as JSON or one block each; `place` says where they were read.
fn print_reports(reports: &[clio::store::Report], json: bool, all: bool, place: &str) -> ExitCode {
    let time = |ms: u64| {
        chrono::DateTime::from_timestamp_millis(ms as i64)
            .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_else(|| ms.to_string())
    };
    let mut out = std::io::stdout().lock();
    if json {
        let list: Vec<serde_json::Value> = reports
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id,
                    "entry_id": r.entry_id,
                    "reporter": r.reporter.to_string(),
                    "reporter_name": r.reporter_name,
                    "guild": r.guild.map(|g| g.to_string()),
                    "locale": r.locale.code(),
                    "text": r.text,
                    "source": r.source,
                    "created_at": time(r.created_at),
                    "resolved_at": r.resolved_at.map(time),
                    "resolved_by": r.resolved_by.map(|b| b.to_string()),
                })
            })
            .collect();
        let _ = writeln!(out, "{}", serde_json::Value::Array(list));
        return ExitCode::SUCCESS;
    }
    let what = if all { "reports" } else { "open reports" };
    if reports.is_empty() {
        let _ = writeln!(out, "No {what} in {}.", place);
        return ExitCode::SUCCESS;
    }
    let _ = writeln!(out, "{} {what} in {}:", reports.len(), place);
    for r in reports {
        let state = match (r.resolved_at, r.resolved_by) {
            (Some(at), Some(by)) => format!("resolved {} by {by}", time(at)),
            _ => "open".to_string(),
        };
        let server = r
            .guild
            .map_or("a direct message".to_string(), |g| format!("server {g}"));
        let _ = writeln!(
            out,
            "\n#{} {} · entry {} · {} · {server} · by {} ({}) · {}",
            r.id,
            time(r.created_at),
            r.entry_id,
            state,
            r.reporter_name,
            r.reporter,
            r.locale.code()
        );
        for line in r.text.lines() {
            let _ = writeln!(out, "    {line}");
        }
        if let Some(source) = &r.source {
            let _ = writeln!(out, "    source: {source}");
        }
    }
    ExitCode::SUCCESS
}
