//! Self-hosting on a real Docker engine (issue #11): the image built from the repository's own
//! Dockerfile, started with the repository's own compose.yaml exactly as the README's quick start
//! says, against the fake Discord running on this machine's Docker bridge address.
//!
//! Ignored by plain `cargo test` (they need a Docker engine and the base images); `.ci/run` builds
//! the base images and the image, then runs the first with `cargo test --test tests
//! it::docker::the_image_runs_with_compose_against_the_fake_discord -- --ignored --exact
//! --nocapture`. The second, on a gateway outage, waits for a fix in src/ (see its doc). Without an
//! engine each says so and returns.
//!
//! Each step is printed with the time since the start. The project is a copy of the repository
//! (the checkout a club would have), so the test's `.env`, data folder and knowledge folder never
//! touch the developer's own.

use std::io::{Read, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::fake_discord::{as_member, FakeDiscord, API, CHANNEL_ID, TOKEN};
use super::support::{callback_errors, root};

/// The image compose.yaml names (and .ci/run builds).
const IMAGE: &str = "clio-bot:local";
/// How long the container may take to start, connect, reconnect or turn (un)healthy.
const SLOW: Duration = Duration::from_secs(120);
const PLAYER: (&str, &str) = ("1100000000000000201", "Ada");
const HOST_ID: &str = "1100000000000000100";

struct Clock(Instant);

impl Clock {
    fn step(&self, what: &str) {
        println!("[docker {:>6.1}s] {what}", self.0.elapsed().as_secs_f64());
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn output(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

/// Run `cmd`, which must succeed; its standard output.
fn run(cmd: &mut Command) -> String {
    let out = output(cmd);
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\n{}{}",
        out.status,
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// `program` with the builder chosen: where the docker client has no buildx (no BuildKit), the
/// classic builder, which uses the local base images as they are and pulls nothing.
fn with_builder(program: &str) -> Command {
    static BUILDX: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let buildx = *BUILDX.get_or_init(|| {
        Command::new("docker")
            .args(["buildx", "version"])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let mut cmd = Command::new(program);
    if !buildx {
        cmd.env("DOCKER_BUILDKIT", "0");
    }
    cmd
}

fn docker() -> Command {
    with_builder("docker")
}

/// `docker compose`, or the older `docker-compose` where the plugin is missing.
fn compose_program() -> Vec<String> {
    let works = |argv: &[&str]| {
        Command::new(argv[0])
            .args(&argv[1..])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if works(&["docker", "compose", "version"]) {
        vec!["docker".into(), "compose".into()]
    } else if works(&["docker-compose", "version"]) {
        vec!["docker-compose".into()]
    } else {
        panic!("neither `docker compose` nor `docker-compose` is installed");
    }
}

/// One compose project: the copied checkout, its compose.yaml and the test's override.
struct Project {
    program: Vec<String>,
    dir: PathBuf,
    name: String,
    container: String,
    volume: String,
    override_file: &'static str,
}

impl Project {
    fn compose(&self, args: &[&str]) -> Command {
        let mut cmd = with_builder(&self.program[0]);
        cmd.args(&self.program[1..])
            .current_dir(&self.dir)
            .args([
                "-p",
                &self.name,
                "-f",
                "compose.yaml",
                "-f",
                self.override_file,
            ])
            .args(args);
        cmd
    }

    fn health(&self) -> String {
        run(docker().args([
            "inspect",
            "-f",
            "{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}",
            &self.container,
        ]))
        .trim()
        .to_string()
    }

    fn logs(&self) -> String {
        let out = output(docker().args(["logs", &self.container]));
        format!("{}{}", text(&out.stdout), text(&out.stderr))
    }

    /// Wait until Docker reports the container `wanted` (healthy, unhealthy); how long it took.
    fn wait_health(&self, wanted: &str) -> Duration {
        let started = Instant::now();
        loop {
            let status = self.health();
            if status == wanted {
                return started.elapsed();
            }
            if started.elapsed() > SLOW {
                let log = output(docker().args([
                    "inspect",
                    "-f",
                    "{{json .State.Health}}",
                    &self.container,
                ]));
                panic!(
                    "the container stayed {status}, not {wanted}:\n{}\n{}",
                    text(&log.stdout),
                    self.logs()
                );
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    }

    fn down(&self) {
        let _ = self
            .compose(&["down", "--volumes", "--remove-orphans"])
            .output();
        let _ = docker().args(["rm", "-f", &self.container]).output();
        let _ = docker().args(["volume", "rm", "-f", &self.volume]).output();
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("---- container log ----\n{}", self.logs());
        }
        self.down();
    }
}

/// The checkout a club would have: everything but build output, git and local state.
fn copy_checkout(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if from == root()
            && matches!(
                name.to_str(),
                Some("target" | ".git" | "data" | ".env" | ".target-ready" | "vendor")
            )
        {
            continue;
        }
        let kind = entry.file_type().unwrap();
        let target = to.join(&name);
        if kind.is_dir() {
            copy_checkout(&entry.path(), &target);
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// This machine's address on Docker's default bridge: what `host-gateway` resolves to inside a
/// container, so the fake Discord listens there and nowhere else. Docker's IPAM names it, or else
/// (an engine that leaves it out) the bridge interface has it.
fn bridge_address() -> IpAddr {
    let ipv4 = |text: &str| {
        text.split(|c: char| c.is_whitespace() || c == '/')
            .find_map(|a| a.parse::<IpAddr>().ok().filter(IpAddr::is_ipv4))
    };
    let ipam = run(docker().args([
        "network",
        "inspect",
        "bridge",
        "-f",
        "{{range .IPAM.Config}}{{.Gateway}} {{end}}",
    ]));
    if let Some(address) = ipv4(&ipam) {
        return address;
    }
    let name = run(docker().args([
        "network",
        "inspect",
        "bridge",
        "-f",
        "{{index .Options \"com.docker.network.bridge.name\"}}",
    ]));
    let name = name.trim();
    let name = if name.is_empty() { "docker0" } else { name };
    let addresses = run(Command::new("ip").args(["-4", "-o", "addr", "show", "dev", name]));
    let inet = addresses.split_once(" inet ").map_or("", |(_, rest)| rest);
    ipv4(inet).unwrap_or_else(|| panic!("no IPv4 address on Docker's bridge {name}: {addresses:?}"))
}

/// The entries of a tar stream (as `docker cp CONTAINER:PATH -` writes it): (name, uid).
fn tar_entries(mut tar: &[u8]) -> Vec<(String, u32)> {
    let octal = |field: &[u8]| -> u64 {
        let s = text(field);
        let s = s.trim_matches(|c: char| c == '\0' || c == ' ');
        u64::from_str_radix(s, 8).unwrap_or(0)
    };
    let mut entries = Vec::new();
    let mut long_name: Option<String> = None;
    while tar.len() >= 512 && tar[..512].iter().any(|b| *b != 0) {
        let header = &tar[..512];
        let size = octal(&header[124..136]) as usize;
        let kind = header[156];
        let data = &tar[512..];
        let name = text(&header[..100]).trim_end_matches('\0').to_string();
        if kind == b'L' {
            long_name = Some(text(&data[..size]).trim_end_matches('\0').to_string());
        } else if kind != b'x' && kind != b'g' {
            let name = long_name.take().unwrap_or(name);
            entries.push((name, octal(&header[108..116]) as u32));
        }
        tar = &data[size.div_ceil(512) * 512..];
    }
    entries
}

/// GET `path` on `addr`: (status, body).
fn get(addr: &str, path: &str) -> Option<(u16, String)> {
    let mut stream = std::net::TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    let body = response
        .split_once("\r\n\r\n")
        .map_or("", |b| b.1)
        .to_string();
    Some((status, body))
}

fn eventually<T>(what: &str, within: Duration, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + within;
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(Instant::now() < deadline, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A ready gateway session newer than connection `after`.
fn wait_connected(fake: &FakeDiscord, project: &Project, after: u32) -> u32 {
    let deadline = Instant::now() + SLOW;
    loop {
        if let Some(c) = fake.ready_connection().filter(|c| *c > after) {
            return c;
        }
        assert!(
            Instant::now() < deadline,
            "the bot in the container did not connect to the fake Discord:\n{}",
            project.logs()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn valid(what: &str, body: &Value) {
    let errors = callback_errors(body);
    assert!(errors.is_empty(), "{what}: {errors:#?}\n{body}");
}

/// `/who Anders`: a valid callback that names him.
fn ask_who(fake: &FakeDiscord) -> Value {
    let (body, _) = fake.interact(fake.command("who", &[("name", "Anders")], "en-US"));
    valid("/who Anders", &body);
    assert_eq!(body["type"], 4, "{body}");
    assert!(body["data"].to_string().contains("Anders"), "{body}");
    body
}

fn custom_ids(body: &Value) -> Vec<String> {
    body["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|c| c["custom_id"].as_str().map(str::to_string))
        .collect()
}

/// A one-question quiz in host mode: Ada answers, the host reveals and ends it. Returns Ada's
/// line on the all-time leaderboard.
fn quiz_with_one_answer(fake: &FakeDiscord) -> String {
    let host = |i: Value| as_member(i, HOST_ID, "Quizmistress", "32", &[]);
    let ada = |i: Value| as_member(i, PLAYER.0, PLAYER.1, "2048", &[]);
    let (started, _) = fake.interact(host(fake.subcommand(
        "quiz",
        "start",
        &[
            ("questions", json!(1)),
            ("seconds", json!(60)),
            ("mode", json!("host")),
        ],
        "en-US",
    )));
    valid("/quiz start", &started);
    let posts = format!("{API}/channels/{CHANNEL_ID}/messages");
    let question = fake.wait_requests("the question", |requests| {
        requests
            .iter()
            .find(|r| {
                r.method == "POST"
                    && r.path == posts
                    && custom_ids(&r.body)
                        .iter()
                        .any(|id| id.starts_with("q:a:") || id.starts_with("q:t:"))
            })
            .map(|r| r.body.clone())
    });
    let ids = custom_ids(&question);
    let confirmation = if let Some(choice) = ids.iter().find(|id| id.starts_with("q:a:")) {
        fake.interact(ada(fake.button(choice, &question, "en-US")))
            .0
    } else {
        let open = ids.iter().find(|id| id.starts_with("q:t:")).unwrap();
        let (modal, _) = fake.interact(ada(fake.button(open, &question, "en-US")));
        valid("the answer box", &modal);
        let modal_id = modal["data"]["custom_id"].as_str().unwrap();
        let input = modal["data"]["components"][0]["components"][0]["custom_id"]
            .as_str()
            .unwrap();
        fake.interact(ada(fake.modal_submit(modal_id, input, "Anders", "en-US")))
            .0
    };
    valid("Ada's answer", &confirmation);
    assert!(
        confirmation["data"].to_string().contains("Your answer"),
        "{confirmation}"
    );
    for _ in 0..2 {
        // Reveal, then end.
        let (body, _) = fake.interact(host(fake.subcommand("quiz", "next", &[], "en-US")));
        valid("/quiz next", &body);
    }
    fake.wait_requests("the final standings", |requests| {
        requests
            .iter()
            .find(|r| r.path == posts && r.body.to_string().contains("Final standings"))
            .map(|_| ())
    });
    leaderboard_line(fake)
}

/// Ada's line of `/leaderboard period:all`.
fn leaderboard_line(fake: &FakeDiscord) -> String {
    let (board, _) = fake.interact(as_member(
        fake.command("leaderboard", &[("period", "all time")], "en-US"),
        PLAYER.0,
        PLAYER.1,
        "2048",
        &[],
    ));
    valid("/leaderboard", &board);
    let rendered = board["data"].to_string();
    let text: String = serde_json::from_str::<Value>(&rendered)
        .map(|v| collect_strings(&v))
        .unwrap_or_default();
    text.lines()
        .find(|l| l.contains(PLAYER.1))
        .unwrap_or_else(|| panic!("{} is not on the leaderboard: {board}", PLAYER.1))
        .trim()
        .to_string()
}

fn collect_strings(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s}\n"),
        Value::Array(a) => a.iter().map(collect_strings).collect(),
        Value::Object(o) => o.values().map(collect_strings).collect(),
        _ => String::new(),
    }
}

fn write_env(dir: &Path) {
    // The quick start: `cp .env.example .env`, then put the token in it.
    let example = std::fs::read_to_string(dir.join(".env.example")).unwrap();
    assert!(example.contains("\nDISCORD_TOKEN=\n"), "{example}");
    let env = example.replace("\nDISCORD_TOKEN=\n", &format!("\nDISCORD_TOKEN={TOKEN}\n"));
    std::fs::write(dir.join(".env"), env).unwrap();
}

/// One test's stack: its copy of the checkout with the quick start's `.env`, and the fake Discord
/// on the Docker bridge. Tests run one at a time (compose.yaml publishes one fixed port).
struct Stack {
    clock: Clock,
    program: Vec<String>,
    dir: PathBuf,
    knowledge: PathBuf,
    fake: FakeDiscord,
    tag: String,
    _one_at_a_time: std::sync::MutexGuard<'static, ()>,
}

impl Stack {
    /// `None` (and a line saying so) when no Docker engine is reachable.
    fn start(name: &str) -> Option<Stack> {
        static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        let clock = Clock(Instant::now());
        if !Command::new("docker")
            .arg("info")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            println!("skipped: no Docker engine reachable (`docker info` fails)");
            return None;
        }
        let program = compose_program();
        clock.step(&format!(
            "engine reachable; compose is `{}`",
            program.join(" ")
        ));

        // The checkout, and the quick start's `.env`.
        let tag = format!("{}-{name}", std::process::id());
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("docker-test-{tag}"));
        let _ = std::fs::remove_dir_all(&dir);
        copy_checkout(&root(), &dir);
        write_env(&dir);
        let knowledge = dir.join("my-knowledge");
        copy_checkout(&root().join("knowledge"), &knowledge);

        let bridge = bridge_address();
        let fake = FakeDiscord::start_reachable(bridge, "host.docker.internal");
        clock.step(&format!(
            "fake Discord on {bridge} (REST {}), seen from the container as host.docker.internal",
            fake.api_base()
        ));
        assert!(
            std::net::TcpListener::bind("127.0.0.1:9090").is_ok(),
            "127.0.0.1:9090, which compose.yaml publishes, is taken on this machine"
        );
        Some(Stack {
            clock,
            program,
            dir,
            knowledge,
            fake,
            tag,
            _one_at_a_time: guard,
        })
    }

    /// The project of the repository's compose.yaml with an override written by the test: the
    /// fake Discord instead of Discord, quick health checks, the test's own container and volume
    /// names (never the `clio` and `clio-data` of a real installation on this machine), and
    /// `volumes` for the service.
    fn project(&self, override_file: &'static str, volumes: &str) -> Project {
        let tag = &self.tag;
        std::fs::write(
            self.dir.join(override_file),
            format!(
                "# Written by tests/it/docker.rs.
services:
  clio:
    container_name: clio-test-{tag}
    environment:
      DISCORD_API_BASE: {api}
    extra_hosts:
      - \"host.docker.internal:host-gateway\"
    healthcheck:
      interval: 1s
      timeout: 3s
      retries: 2
      start_period: 60s
    volumes:
{volumes}
volumes:
  clio-data:
    name: clio-test-data-{tag}
",
                api = self.fake.api_base()
            ),
        )
        .unwrap();
        let project = Project {
            program: self.program.clone(),
            dir: self.dir.clone(),
            name: format!("clio-test-{tag}"),
            container: format!("clio-test-{tag}"),
            volume: format!("clio-test-data-{tag}"),
            override_file,
        };
        project.down();
        project
    }

    /// The quick start's second and third steps: `up -d --build`, then wait until healthy.
    /// Returns the gateway connection.
    fn up(&self, project: &Project) -> u32 {
        let started = Instant::now();
        run(&mut project.compose(&["up", "-d", "--build"]));
        self.clock.step(&format!(
            "`compose up -d --build` done in {:.1}s",
            started.elapsed().as_secs_f64()
        ));
        let user = run(docker().args(["inspect", "-f", "{{.Config.User}}", &project.container]));
        assert_eq!(user.trim(), "65532:65532");
        let connection = wait_connected(&self.fake, project, 0);
        self.clock
            .step("the bot in the container connected to the fake gateway");
        let waited = project.wait_health("healthy");
        self.clock.step(&format!(
            "container healthy ({:.1}s after connecting)",
            waited.as_secs_f64()
        ));
        connection
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

#[test]
#[ignore = "needs a Docker engine: .ci/run runs it"]
fn the_image_runs_with_compose_against_the_fake_discord() {
    let Some(stack) = Stack::start("compose") else {
        return;
    };
    let (clock, fake, dir, knowledge) = (&stack.clock, &stack.fake, &stack.dir, &stack.knowledge);

    // ---- a fresh named volume, the shipped compose.yaml's default ----
    let project = stack.project(
        "test-override.yaml",
        "      - ./my-knowledge:/app/knowledge:ro",
    );
    let mut last = stack.up(&project);
    let (status, body) = get("127.0.0.1:9090", "/readyz").expect("the published ops port answers");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("gateway: connected"), "{body}");
    clock.step("/readyz on the published port 127.0.0.1:9090: 200, gateway connected");

    ask_who(fake);
    clock.step("/who Anders answered with a callback valid for Discord's schema");

    // The named volume: /data and the database belong to 65532.
    let tar = output(docker().args(["cp", &format!("{}:/data", project.container), "-"]));
    assert!(tar.status.success(), "{}", text(&tar.stderr));
    let entries = tar_entries(&tar.stdout);
    let owner = |name: &str| {
        entries
            .iter()
            .find(|(n, _)| n.trim_end_matches('/') == name)
            .map(|e| e.1)
            .unwrap_or_else(|| panic!("no {name} in the volume: {entries:?}"))
    };
    assert_eq!(owner("data"), 65532, "{entries:?}");
    assert_eq!(owner("data/clio.sqlite3"), 65532, "{entries:?}");
    clock.step("fresh named volume: /data and clio.sqlite3 belong to 65532");

    // Scores survive `docker compose restart`.
    let before = quiz_with_one_answer(fake);
    clock.step(&format!("quiz played; leaderboard: {before:?}"));
    let started = Instant::now();
    run(&mut project.compose(&["restart"]));
    last = wait_connected(fake, &project, last);
    clock.step(&format!(
        "`compose restart` and reconnected in {:.1}s",
        started.elapsed().as_secs_f64()
    ));
    let after = leaderboard_line(fake);
    assert_eq!(after, before, "the leaderboard after the restart");
    clock.step("the leaderboard survived the restart");

    // A broken change to the mounted knowledge: the old base keeps serving, and the log says so.
    std::fs::write(knowledge.join("broken.toml"), "[[person]]\nid = 5\n").unwrap();
    eventually("the rejected reload in the log", SLOW, || {
        project
            .logs()
            .contains("the changed knowledge base has errors; still serving the previous one")
            .then_some(())
    });
    ask_who(fake);
    clock.step("broken knowledge file: logged, and /who still answers from the previous base");
    std::fs::remove_file(knowledge.join("broken.toml")).unwrap();

    // `docker stop`: exit 0, well within Docker's 10 seconds.
    let started = Instant::now();
    run(docker().args(["stop", &project.container]));
    let took = started.elapsed();
    let code = run(docker().args(["inspect", "-f", "{{.State.ExitCode}}", &project.container]));
    assert_eq!(code.trim(), "0", "{}", project.logs());
    assert!(took < Duration::from_secs(10), "docker stop took {took:?}");
    clock.step(&format!(
        "`docker stop`: exit code 0 after {:.1}s",
        took.as_secs_f64()
    ));

    // The README's backup: /data out of the stopped container as a tar, owner kept.
    let backup = output(docker().args(["cp", &format!("{}:/data", project.container), "-"]));
    assert!(backup.status.success(), "{}", text(&backup.stderr));
    let entries = tar_entries(&backup.stdout);
    assert!(
        entries
            .iter()
            .any(|(n, uid)| n == "data/clio.sqlite3" && *uid == 65532),
        "{entries:?}"
    );
    let archive = dir.join("clio-data-backup.tar");
    std::fs::write(&archive, &backup.stdout).unwrap();
    let unpacked = dir.join("backup");
    std::fs::create_dir_all(&unpacked).unwrap();
    run(Command::new("tar")
        .arg("-xf")
        .arg(&archive)
        .arg("-C")
        .arg(&unpacked));
    let db = rusqlite::Connection::open(unpacked.join("data").join(clio::store::DB_FILE)).unwrap();
    let answers: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM answers WHERE player_id = ?1",
            [PLAYER.0.parse::<i64>().unwrap()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(answers, 1, "Ada's answer in the backup");
    drop(db);
    clock.step("backup with `docker cp clio:/data -`: owner 65532 kept, Ada's answer in it");

    // The README's restore, onto a new, empty volume: the same leaderboard.
    run(&mut project.compose(&["down", "--volumes"]));
    run(&mut project.compose(&["up", "--no-start"]));
    let restore = std::fs::File::open(&archive).unwrap();
    let status = docker()
        .args(["cp", "-", &format!("{}:/", project.container)])
        .stdin(restore)
        .status()
        .unwrap();
    assert!(status.success(), "docker cp - {}:/", project.container);
    run(&mut project.compose(&["start"]));
    last = wait_connected(fake, &project, last);
    assert_eq!(leaderboard_line(fake), before, "the restored leaderboard");
    clock.step("restore with `docker cp - clio:/` into a new volume: the same leaderboard");
    drop(project);

    // ---- a bind-mounted host folder, chowned to 65532 as the README says ----
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::os::unix::fs::chown(&data, Some(65532), Some(65532))
        .expect("chown 65532:65532 ./data (the test runs as root, like CI)");
    let project = stack.project("test-override-bind.yaml", "      - ./data:/data");
    run(&mut project.compose(&["up", "-d"]));
    wait_connected(fake, &project, last);
    ask_who(fake);
    use std::os::unix::fs::MetadataExt;
    let db = std::fs::metadata(data.join(clio::store::DB_FILE)).expect("the database on the host");
    assert_eq!(db.uid(), 65532);
    clock.step("bind-mounted ./data (chown 65532:65532): the bot created its database there");
    drop(project);

    let size: u64 = run(docker().args(["image", "inspect", "-f", "{{.Size}}", IMAGE]))
        .trim()
        .parse()
        .unwrap();
    clock.step(&format!(
        "image {IMAGE}: {:.1} MB (goal: under 40 MB)",
        size as f64 / 1e6
    ));
}

/// The gateway goes down: Docker's health check (`clio healthcheck --ready`) turns the container
/// unhealthy; it comes back: healthy again. (When the gateway refuses the reconnection, serenity
/// shuts the shard down and queues it again without a stage event; the bot watches its shard
/// runners for that, see src/discord/bot.rs.)
#[test]
#[ignore = "needs a Docker engine: .ci/run runs it"]
fn the_container_turns_unhealthy_while_the_gateway_is_down() {
    let Some(stack) = Stack::start("gateway") else {
        return;
    };
    let (clock, fake) = (&stack.clock, &stack.fake);
    let project = stack.project(
        "test-override.yaml",
        "      - ./my-knowledge:/app/knowledge:ro",
    );
    let first = stack.up(&project);
    ask_who(fake);

    // The gateway goes down: unhealthy; back up: healthy again.
    project.wait_health("healthy");
    fake.stop_gateway();
    let took = project.wait_health("unhealthy");
    clock.step(&format!(
        "fake gateway stopped: container unhealthy after {:.1}s ({} connections refused)",
        took.as_secs_f64(),
        fake.refused_connections()
    ));
    fake.start_gateway();
    wait_connected(fake, &project, first);
    let took = project.wait_health("healthy");
    clock.step(&format!(
        "fake gateway back: reconnected, healthy again {:.1}s later",
        took.as_secs_f64()
    ));

    ask_who(fake);
    clock.step("/who answers again");
}
