//! Input at the edges (issue 15): bytes that are not UTF-8 on `clio ask -`, a user's backticks in
//! any notice, a reader that goes away, an ops listener anyone can reach.

use std::io::Write;
use std::os::fd::FromRawFd;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clio::answers::Ctx;
use clio::i18n::Locale;

use super::fake_discord::{FakeDiscord, TOKEN};
use super::support::{pack, root};

fn clio() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_clio"));
    cmd.current_dir(root())
        .env_remove("CLIO_KNOWLEDGE_DIR")
        .env("NO_COLOR", "1");
    cmd
}

#[test]
fn ask_dash_answers_a_line_that_is_not_utf8_with_an_error_and_goes_on() {
    let mut child = clio()
        .args(["ask", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(b"/who Anders\n/who \xff\xfe Anders\n/event 1939-09-17\n")
        .unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let bodies: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(
        bodies.len(),
        2,
        "the lines before and after are answered: {stdout}"
    );
    assert!(bodies[1].to_string().contains("1939"), "{}", bodies[1]);
    assert!(
        stderr.contains("line 2 is not UTF-8 text"),
        "the bad line is answered with an error: {stderr}"
    );
    assert_eq!(out.status.code(), Some(2), "a line was not answered");
}

#[test]
fn a_users_backticks_cannot_close_clios_code_spans_in_any_notice() {
    let kb = pack();
    let ctx = Ctx::at(&clio::clock::SystemClock);
    // Closing Clio's span would turn the rest into markdown (and a mention).
    let inject = "x`**@everyone**`";
    let lines = [
        format!("/onthisday date:{inject}"),
        format!("/timeline from:{inject}"),
        format!("/timeline from:1939-09-01 to:{inject}"),
        format!("/event 1939-13-{inject}"),
        format!("/random kind:{inject}"),
    ];
    for locale in [Locale::En, Locale::Pl] {
        for line in &lines {
            let body = clio::console::ask(kb, line, locale, true, false, &ctx)
                .unwrap_or_else(|e| panic!("{line}: {e}"));
            assert!(
                !body.contains("`**@everyone**`"),
                "{line}: the user's backticks reach the message: {body}"
            );
            assert!(
                body.contains("'**@everyone**'"),
                "{line}: the user's text is shown, escaped: {body}"
            );
        }
    }
    // The command-line errors and the quiz topic quote user text the same way.
    let err = clio::console::parse_command_line(&format!("/{inject}"))
        .unwrap_err()
        .to_string();
    assert!(
        !err.contains("`**@everyone**`") && err.contains("'**@everyone**'"),
        "{err}"
    );
    let topic = clio::quiz::topic::TopicError::Unknown {
        topic: inject.into(),
        suggestions: vec![],
    };
    for locale in [Locale::En, Locale::Pl] {
        let text = topic.message(locale);
        assert!(
            !text.contains("`**@everyone**`") && text.contains("'**@everyone**'"),
            "{text}"
        );
    }
    assert_eq!(clio::text::quote_input("a`b\nc"), "a'b c");
}

/// A pipe whose reading end is already closed: every write to it fails with EPIPE.
fn closed_pipe() -> Stdio {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors pipe(2) writes.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: both descriptors were just created and are owned here alone.
    let (read, write) = unsafe {
        (
            std::fs::File::from_raw_fd(fds[0]),
            std::fs::File::from_raw_fd(fds[1]),
        )
    };
    drop(read);
    Stdio::from(write)
}

#[test]
fn broken_pipe_on_stdout_ends_every_subcommand_quietly_with_exit_0() {
    let runs: &[(&[&str], &str)] = &[
        (&["commands"], ""),
        (&["commands", "--json"], ""),
        (&["press", "x"], ""),
        (&["ask", "/who Anders"], ""),
        (&["ask", "--json", "-"], "/who Anders\n/event 1939-09-17\n"),
        (&["check", "knowledge"], ""),
        (&["quiz", "--preview", "--seed", "1"], ""),
        (&["console"], "/who Anders\nquit\n"),
    ];
    for (args, input) in runs {
        let mut child = clio()
            .args(*args)
            .stdin(Stdio::piped())
            .stdout(closed_pipe())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let _ = stdin.write_all(input.as_bytes());
        drop(stdin);
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "clio {args:?}: {stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "clio {args:?} ends quietly: {stderr}"
        );
    }
}

#[test]
fn the_ops_listener_warns_when_bound_to_a_public_address() {
    use clio::ops::exposure_warning;
    for public in [
        "0.0.0.0:9090",
        "[::]:9090",
        "203.0.113.7:9090",
        "[2001:db8::1]:9090",
    ] {
        let warning = exposure_warning(public.parse().unwrap())
            .unwrap_or_else(|| panic!("{public} is reachable from elsewhere"));
        assert!(
            warning.contains("no authentication") && warning.contains("reverse proxy"),
            "{warning}"
        );
    }
    for private in [
        "127.0.0.1:9090",
        "[::1]:9090",
        "10.1.2.3:9090",
        "192.168.1.10:9090",
        "172.20.0.5:9090",
        "[fd00::5]:9090",
    ] {
        assert_eq!(
            exposure_warning(private.parse().unwrap()),
            None,
            "{private}"
        );
    }

    // The real bot says so in its log at start-up.
    let fake = FakeDiscord::start();
    let dir = std::env::temp_dir().join(format!("clio-ops-public-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_clio"))
        .current_dir(&dir)
        .env_clear()
        .env("NO_COLOR", "1")
        .env("DISCORD_TOKEN", TOKEN)
        .env("DISCORD_API_BASE", fake.api_base())
        .env("CLIO_KNOWLEDGE_DIR", root().join("knowledge"))
        .env("CLIO_DATA_DIR", dir.join("data"))
        .env("CLIO_OPS__LISTEN", format!("0.0.0.0:{port}"))
        .arg("run")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (output, readers) = super::support::capture_output(&mut child);
    let started = Instant::now();
    let seen = loop {
        let text = output.lock().unwrap().clone();
        if text.contains("no authentication") || started.elapsed() > Duration::from_secs(60) {
            break text;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = child.kill();
    let _ = child.wait();
    for r in readers {
        let _ = r.join();
    }
    assert!(
        seen.contains("WARN") && seen.contains(&format!("0.0.0.0:{port}")),
        "{seen}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
