//! Shared test helpers: the shipped pack, fixtures, and Discord's schema.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use clio::knowledge::KnowledgeBase;
use serde_json::Value;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// The shipped knowledge pack, loaded once for the whole test binary.
pub fn pack() -> &'static KnowledgeBase {
    static PACK: OnceLock<KnowledgeBase> = OnceLock::new();
    PACK.get_or_init(|| match KnowledgeBase::load(&root().join("knowledge")) {
        Ok(kb) => kb,
        Err(report) => panic!(
            "the shipped pack does not load:\n{}",
            report
                .problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        ),
    })
}

fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let text = std::fs::read_to_string(root().join("tests/discord/openapi.json"))
            .expect("tests/discord/openapi.json");
        serde_json::from_str(&text).expect("openapi.json is JSON")
    })
}

/// A JSON schema whose root is `schema` and whose `#/components/...` refs resolve into the spec.
fn rooted(schema: Value) -> Value {
    let mut root = serde_json::Map::new();
    root.insert(
        "$schema".into(),
        Value::from("https://json-schema.org/draft/2020-12/schema"),
    );
    if let Value::Object(o) = schema {
        root.extend(o);
    }
    root.insert("components".into(), spec()["components"].clone());
    Value::Object(root)
}

fn validator(key: &str, schema: impl FnOnce() -> Value) -> &'static jsonschema::Validator {
    static CACHE: OnceLock<Mutex<HashMap<String, &'static jsonschema::Validator>>> =
        OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(v) = map.get(key) {
        return v;
    }
    let v: &'static jsonschema::Validator = Box::leak(Box::new(
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .build(&rooted(schema()))
            .unwrap_or_else(|e| panic!("schema {key} does not compile: {e}")),
    ));
    map.insert(key.to_string(), v);
    v
}

/// Errors of `body` against a named schema of the spec's components.
pub fn schema_errors(name: &str, body: &Value) -> Vec<String> {
    let v = validator(
        name,
        || serde_json::json!({ "$ref": format!("#/components/schemas/{name}") }),
    );
    v.iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Errors of an interaction callback body: against the callback path's own schema (the union of
/// every callback type), against the specific schema of its type, and against the rule the schema
/// cannot express (6000 characters across all embeds).
pub fn callback_errors(body: &Value) -> Vec<String> {
    let path = "/interactions/{interaction_id}/{interaction_token}/callback";
    let union = validator("callback-path", || {
        spec()["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
            .clone()
    });
    let mut errors: Vec<String> = union
        .iter_errors(body)
        .map(|e| format!("callback path: {e}"))
        .collect();
    let specific = match body["type"].as_u64() {
        Some(4) | Some(5) => "CreateMessageInteractionCallbackRequest",
        Some(6) | Some(7) => "UpdateMessageInteractionCallbackRequest",
        Some(8) => "ApplicationCommandAutocompleteCallbackRequest",
        Some(9) => "ModalInteractionCallbackRequest",
        other => return vec![format!("unexpected callback type {other:?}")],
    };
    errors.extend(
        schema_errors(specific, body)
            .into_iter()
            .map(|e| format!("{specific}: {e}")),
    );
    errors.extend(
        embed_rule_errors(&body["data"])
            .into_iter()
            // A modal (type 9) shows no message, so there is nothing to mention anyone in: its
            // schema has no `allowed_mentions`.
            .filter(|e| !(body["type"] == 9 && e.starts_with("allowed_mentions"))),
    );
    errors
}

/// Discord's rules that the schema does not carry: 6000 characters across embeds, mentions off.
pub fn embed_rule_errors(data: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    let len = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
    let total: usize = data["embeds"]
        .as_array()
        .map(|embeds| {
            embeds
                .iter()
                .map(|e| {
                    len(&e["title"])
                        + len(&e["description"])
                        + len(&e["footer"]["text"])
                        + len(&e["author"]["name"])
                        + e["fields"].as_array().map_or(0, |f| {
                            f.iter().map(|f| len(&f["name"]) + len(&f["value"])).sum()
                        })
                })
                .sum()
        })
        .unwrap_or(0);
    if total > 6000 {
        errors.push(format!("embeds hold {total} characters, more than 6000"));
    }
    if data.get("choices").is_none() && data["allowed_mentions"] != serde_json::json!({"parse": []})
    {
        errors.push(format!(
            "allowed_mentions must be {{\"parse\": []}}, got {}",
            data["allowed_mentions"]
        ));
    }
    let mut ids = std::collections::HashSet::new();
    for row in data["components"].as_array().into_iter().flatten() {
        for b in row["components"].as_array().into_iter().flatten() {
            if let Some(id) = b["custom_id"].as_str() {
                if !ids.insert(id.to_string()) {
                    errors.push(format!("custom_id {id} appears twice in one message"));
                }
            }
        }
    }
    errors
}

pub fn assert_valid_callback(what: &str, body: &Value) {
    let errors = callback_errors(body);
    assert!(
        errors.is_empty(),
        "{what}: body is not valid for Discord:\n{}\nbody: {body}",
        errors.join("\n")
    );
}

/// Collect a child's stdout and stderr into one string as they come, on two reader threads
/// (join them to be sure everything is in after the child exits).
pub fn capture_output(
    child: &mut std::process::Child,
) -> (
    std::sync::Arc<Mutex<String>>,
    Vec<std::thread::JoinHandle<()>>,
) {
    use std::io::Read;
    let output = std::sync::Arc::new(Mutex::new(String::new()));
    let pipes: Vec<Box<dyn Read + Send>> = vec![
        Box::new(child.stdout.take().expect("stdout is piped")),
        Box::new(child.stderr.take().expect("stderr is piped")),
    ];
    let readers = pipes
        .into_iter()
        .map(|mut pipe| {
            let output = output.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                while let Ok(n) = pipe.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    output
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push_str(&String::from_utf8_lossy(&buf[..n]));
                }
            })
        })
        .collect();
    (output, readers)
}

/// A lookup command as declared in `clio::discord::commands`: its name and options.
pub struct Lookup {
    pub name: String,
    /// `(option, required)`, in order.
    pub options: Vec<(String, bool)>,
    /// The options that suggest while typed (the others offer choices).
    pub autocompletes: Vec<String>,
}

/// The commands the knowledge answers alone (`/who`, `/event`, …), read off the one command list.
pub fn lookup_commands() -> Vec<Lookup> {
    clio::discord::commands::all()
        .into_iter()
        .filter(|c| clio::answers::Command::from_parts(&c.name, &[]).is_ok())
        .map(|c| Lookup {
            name: c.name.to_string(),
            options: c
                .parameters
                .iter()
                .map(|p| (p.name.to_string(), p.required))
                .collect(),
            autocompletes: c
                .parameters
                .iter()
                .filter(|p| p.autocomplete_callback.is_some())
                .map(|p| p.name.to_string())
                .collect(),
        })
        .collect()
}

/// GET `path` from the ops listener: (status, body), or `None` if nothing answers.
pub fn http_get(addr: &str, path: &str) -> Option<(u16, String)> {
    let mut stream = std::net::TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .ok()?;
    use std::io::{Read, Write};
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\r\n"
    )
    .ok()?;
    let mut text = String::new();
    stream.read_to_string(&mut text).ok()?;
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n").map_or("", |b| b.1).to_string();
    Some((status, body))
}

// ---------------------------------------------------------------- PostgreSQL

/// The PostgreSQL server tests may use: `CLIO_TEST_DATABASE_URL` (.ci/run sets it), a URL whose
/// user may create databases.
pub const PG_ENV: &str = "CLIO_TEST_DATABASE_URL";

/// Say, where the test runner cannot swallow it, that `test` did not run and why.
pub fn skipped(test: &str, why: &str) {
    use std::io::Write;
    // Straight to the process's stderr: the harness captures `eprintln!` of a passing test.
    let _ = writeln!(std::io::stderr().lock(), "skipped {test}: {why}");
}

/// A fresh database of its own for one test, dropped when this goes.
pub struct PgDatabase {
    pub url: String,
    admin: String,
    name: String,
}

impl PgDatabase {
    /// The store on it, migrated.
    pub fn store(&self) -> clio::store::PgStore {
        clio::store::PgStore::open(&self.url, std::time::Duration::ZERO)
            .unwrap_or_else(|e| panic!("opening {}: {e}", self.name))
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// `url` with its database replaced by `db`.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let authority_at = base.find("://").map_or(0, |i| i + 3);
    let end = base[authority_at..]
        .find('/')
        .map_or(base.len(), |i| authority_at + i);
    format!("{}/{db}{query}", &base[..end])
}

/// A new empty database `clio_test_<name>_<pid>` on the server of `CLIO_TEST_DATABASE_URL`, or
/// `None` (said, by the test's name) when that is unset.
pub fn pg_database(name: &str) -> Option<PgDatabase> {
    // Set but empty (`CLIO_TEST_DATABASE_URL= cargo test`) is unset, as for the shard tests.
    let Some(admin) = std::env::var(PG_ENV).ok().filter(|u| !u.trim().is_empty()) else {
        skipped(name, &format!("set {PG_ENV} (.ci/run does)"));
        return None;
    };
    Some(pg_database_on(&admin, name))
}

/// A new empty database for test `name` on the server at `admin`.
pub fn pg_database_on(admin: &str, name: &str) -> PgDatabase {
    // PostgreSQL names stop at 63 bytes: a long test name is cut, and a hash keeps it unique.
    let mut hash: u32 = 2166136261;
    for b in name.bytes() {
        hash = (hash ^ u32::from(b)).wrapping_mul(16777619);
    }
    let name = name.strip_prefix("tests::it::").unwrap_or(name);
    let short: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(32)
        .collect();
    let db = format!("clio_test_{short}_{hash:08x}_{}", std::process::id());
    let mut c = postgres::Client::connect(admin, postgres::NoTls)
        .unwrap_or_else(|e| panic!("{PG_ENV}: cannot connect: {e}"));
    // Two statements: neither may run inside the transaction one batch would be.
    for sql in [
        format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"),
        format!("CREATE DATABASE {db}"),
    ] {
        c.batch_execute(&sql)
            .unwrap_or_else(|e| panic!("creating the database {db}: {e}"));
    }
    PgDatabase {
        url: with_database(admin, &db),
        admin: admin.to_string(),
        name: db,
    }
}

/// A fresh, unique scratch directory under the target directory.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("backend-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Opens the test's store, again each call (as a restart does): the same data each time.
pub type Open<'a> = &'a dyn Fn() -> Box<dyn clio::store::Backend>;

/// Two tests for each body `fn name(open: support::Open)`: `name::sqlite` on a SQLite data
/// directory, `name::postgres` on a fresh PostgreSQL database (skipped, by name, without
/// `CLIO_TEST_DATABASE_URL`). The same body proves the same promise on both backends.
#[macro_export]
macro_rules! on_both_backends {
    ($($body:ident),* $(,)?) => {$(
        mod $body {
            #[test]
            fn sqlite() {
                let dir = $crate::it::support::scratch_dir(stringify!($body));
                super::$body(&|| {
                    Box::new(clio::store::SqliteStore::open(&dir).unwrap())
                        as Box<dyn clio::store::Backend>
                });
                let _ = std::fs::remove_dir_all(&dir);
            }

            #[test]
            fn postgres() {
                let test = concat!(module_path!(), "::postgres");
                let Some(db) = $crate::it::support::pg_database(test) else {
                    return;
                };
                super::$body(&|| Box::new(db.store()) as Box<dyn clio::store::Backend>);
            }
        }
    )*};
}

/// A PostgreSQL server of the test's own, on a free port on 127.0.0.1, that the test may stop
/// and start again; removed when dropped. Run as the `postgres` user when the tests run as root
/// (initdb refuses root).
pub struct OwnPostgres {
    bin: PathBuf,
    dir: PathBuf,
    pub port: u16,
    as_postgres: bool,
}

impl OwnPostgres {
    /// A new server for test `test`, or `None` (said, by name) when no PostgreSQL is installed.
    pub fn start(test: &str) -> Option<OwnPostgres> {
        let Some(bin) = postgres_bin() else {
            skipped(test, "no PostgreSQL server binaries (pg_ctl, initdb) in PATH or /usr/lib/postgresql/*/bin");
            return None;
        };
        // Root cannot run initdb: then the server runs as `postgres`.
        let root = std::process::Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
        // Short: the server's socket path there must fit in 107 bytes.
        static SERVERS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = SERVERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("clio-pg-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        if root {
            let owned = std::process::Command::new("chown")
                .args(["postgres:", dir.to_str().unwrap()])
                .status()
                .is_ok_and(|s| s.success());
            if !owned {
                skipped(
                    test,
                    "running as root and there is no `postgres` user to run initdb as",
                );
                return None;
            }
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let pg = OwnPostgres {
            bin,
            dir,
            port,
            as_postgres: root,
        };
        pg.run(
            "initdb",
            &[
                "-D",
                pg.data().to_str().unwrap(),
                "-U",
                "clio",
                "--auth=trust",
                "-E",
                "UTF8",
            ],
        );
        pg.resume();
        Some(pg)
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let exe = self.bin.join(tool);
        let mut cmd = if self.as_postgres {
            let mut c = std::process::Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            std::process::Command::new(&exe)
        };
        let out = cmd
            .args(args)
            .current_dir(&self.dir)
            .output()
            .unwrap_or_else(|e| panic!("{tool}: {e}"));
        assert!(
            out.status.success(),
            "{tool} {args:?} failed:\n{}{}\nserver log:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
        );
    }

    /// The URL of database `postgres` as user `clio`.
    pub fn url(&self) -> String {
        format!("postgres://clio@127.0.0.1:{}/postgres", self.port)
    }

    /// Start the server (again); returns once it accepts connections.
    pub fn resume(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.display()
        );
        let log = self.dir.join("server.log");
        self.run(
            "pg_ctl",
            &[
                "-D",
                self.data().to_str().unwrap(),
                "-o",
                &options,
                "-l",
                log.to_str().unwrap(),
                "-w",
                "-t",
                "60",
                "start",
            ],
        );
    }

    /// Stop the server the way an operator or a crash would: connections are cut at once.
    pub fn halt(&self) {
        self.run(
            "pg_ctl",
            &[
                "-D",
                self.data().to_str().unwrap(),
                "-m",
                "fast",
                "-w",
                "stop",
            ],
        );
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let exe = self.bin.join("pg_ctl");
        let data = self.data();
        let args = ["-D", data.to_str().unwrap(), "-m", "immediate", "stop"];
        let _ = if self.as_postgres {
            std::process::Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(&exe)
                .args(args)
                .output()
        } else {
            std::process::Command::new(&exe).args(args).output()
        };
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Where `pg_ctl` and `initdb` are: PATH first, else the newest /usr/lib/postgresql/*/bin.
fn postgres_bin() -> Option<PathBuf> {
    let in_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .find(|d| d.join("pg_ctl").is_file() && d.join("initdb").is_file())
    });
    // A symbolic link in PATH stands for the package's directory, where `postgres` is too.
    let in_path = in_path.and_then(|d| {
        d.join("pg_ctl")
            .canonicalize()
            .ok()?
            .parent()
            .map(PathBuf::from)
    });
    in_path.or_else(|| {
        let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .flatten()
            .map(|e| e.path().join("bin"))
            .filter(|b| b.join("pg_ctl").is_file() && b.join("initdb").is_file())
            .collect();
        found.sort_by_key(|p| {
            p.parent()
                .and_then(|v| v.file_name())
                .and_then(|v| v.to_str())
                .and_then(|v| v.parse::<u32>().ok())
                .unwrap_or(0)
        });
        found.pop()
    })
}
