//! Operations: liveness, readiness and Prometheus metrics over a small HTTP listener, and the
//! `clio healthcheck` client that Docker's HEALTHCHECK runs (so the image needs no curl).
//!
//! The listener is deliberately tiny (HTTP/1.1, GET only, one response per connection): it serves
//! three fixed paths to a scraper on a private address, and pulling in a web framework for that would
//! cost more memory than everything it serves.

mod metrics;
mod pages;
mod shards;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

pub use metrics::{Metrics, Outcome};
pub use pages::{let_go_of_code_pages, LetGo};
pub use shards::ShardGauge;

/// What the ops endpoints report: readiness flags and the metrics.
#[derive(Default)]
pub struct OpsState {
    /// Every shard of this process's range connected (kept by the shard setters).
    pub gateway_connected: AtomicBool,
    /// Each shard of the range, by id.
    shards: std::sync::Mutex<std::collections::BTreeMap<u32, ShardGauge>>,
    pub knowledge_loaded: AtomicBool,
    pub metrics: Metrics,
}

impl OpsState {
    pub fn ready(&self) -> bool {
        self.gateway_connected.load(Ordering::Relaxed)
            && self.knowledge_loaded.load(Ordering::Relaxed)
    }
}

/// Answer one request path: status line code, content type, body.
pub fn route(state: &OpsState, path: &str) -> (u16, &'static str, String) {
    let path = path.split('?').next().unwrap_or("");
    match path {
        "/healthz" => (200, "text/plain; charset=utf-8", "ok\n".into()),
        "/readyz" => {
            let gateway = state.gateway_connected.load(Ordering::Relaxed);
            let knowledge = state.knowledge_loaded.load(Ordering::Relaxed);
            let body = format!(
                "gateway: {}\n{}knowledge: {}\n",
                if gateway {
                    "connected"
                } else {
                    "not connected"
                },
                shards::readiness_lines(state),
                if knowledge { "loaded" } else { "not loaded" }
            );
            (
                if gateway && knowledge { 200 } else { 503 },
                "text/plain; charset=utf-8",
                body,
            )
        }
        "/metrics" => (
            200,
            "text/plain; version=0.0.4; charset=utf-8",
            state.metrics.render() + &shards::render(state),
        ),
        _ => (
            404,
            "text/plain; charset=utf-8",
            "not found: try /healthz, /readyz or /metrics\n".into(),
        ),
    }
}

/// Bind the ops listener. Binding is separate from serving so a bad address fails at start-up.
/// The listener has no authentication: an address other machines can reach is warned about.
pub async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let listener = TcpListener::bind(addr).await?;
    if let Some(warning) = exposure_warning(addr) {
        tracing::warn!(%addr, "{warning}");
    }
    Ok(listener)
}

/// The warning for a listener address that machines beyond this one and its private network may
/// reach: every interface (`0.0.0.0`, `::`) or a public address. None for loopback and private
/// addresses.
pub fn exposure_warning(addr: SocketAddr) -> Option<String> {
    let ip = addr.ip();
    let reach = if ip.is_unspecified() {
        "every network interface"
    } else if is_local_or_private(ip) {
        return None;
    } else {
        "a public address"
    };
    Some(format!(
        "the ops listener on {addr} is bound to {reach} and has no authentication: anyone who \
         reaches that port reads /metrics. Publish the port only on a private network, put a \
         reverse proxy with authentication in front, or set `ops.listen` to 127.0.0.1:{}",
        addr.port()
    ))
}

fn is_local_or_private(ip: std::net::IpAddr) -> bool {
    match ip {
        std::net::IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                // Shared address space (carrier-grade NAT), 100.64.0.0/10.
                || (a == 100 && (64..128).contains(&b))
        }
        std::net::IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback()
                // Unique local (fc00::/7) and link-local (fe80::/10).
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || v6.to_ipv4_mapped().is_some_and(|v4| {
                    is_local_or_private(std::net::IpAddr::V4(v4))
                })
        }
    }
}

/// Serve the ops endpoints until the task is dropped.
pub async fn serve(listener: TcpListener, state: Arc<OpsState>) {
    loop {
        let Ok((mut stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let state = state.clone();
        tokio::spawn(async move {
            let mut buf = vec![0u8; 4096];
            let mut len = 0;
            // Read until the end of the request head (or a small cap: we only need the first line).
            let read = tokio::time::timeout(Duration::from_secs(5), async {
                while len < buf.len() {
                    match stream.read(&mut buf[len..]).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            len += n;
                            if buf[..len].windows(4).any(|w| w == b"\r\n\r\n") {
                                break;
                            }
                        }
                    }
                }
            })
            .await;
            if read.is_err() {
                return;
            }
            let head = String::from_utf8_lossy(&buf[..len]);
            let mut parts = head.lines().next().unwrap_or("").split_whitespace();
            let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let (code, ctype, body) = if method == "GET" || method == "HEAD" {
                route(&state, path)
            } else {
                (405, "text/plain; charset=utf-8", "only GET\n".to_string())
            };
            let reason = match code {
                200 => "OK",
                404 => "Not Found",
                405 => "Method Not Allowed",
                _ => "Service Unavailable",
            };
            let body = if method == "HEAD" {
                String::new()
            } else {
                body
            };
            let response = format!(
                "HTTP/1.1 {code} {reason}\r\ncontent-type: {ctype}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes()).await;
            let _ = stream.shutdown().await;
        });
    }
}

/// `clio healthcheck`: GET `path` on the ops listener; true on a 200 answer within the timeout.
pub fn healthcheck(addr: &str, path: &str, timeout: Duration) -> Result<(), String> {
    use std::io::{Read, Write};
    use std::net::ToSocketAddrs;
    let target = addr
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve `{addr}`: {e}"))?
        .next()
        .ok_or_else(|| format!("`{addr}` resolves to no address"))?;
    // A listener on 0.0.0.0 is reached through loopback.
    let target = if target.ip().is_unspecified() {
        SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), target.port())
    } else {
        target
    };
    let mut stream = std::net::TcpStream::connect_timeout(&target, timeout).map_err(|e| {
        format!("nothing answers on {target}: {e} (is `ops.listen` set and Clio running?)")
    })?;
    stream.set_read_timeout(Some(timeout)).ok();
    stream.set_write_timeout(Some(timeout)).ok();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nhost: {target}\r\nconnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .map_err(|e| e.to_string())?;
    let status = response.lines().next().unwrap_or("");
    if status.split_whitespace().nth(1) == Some("200") {
        Ok(())
    } else {
        let body = response
            .split("\r\n\r\n")
            .nth(1)
            .unwrap_or("")
            .trim()
            .replace('\n', "; ");
        Err(format!("{path} answered `{status}`: {body}"))
    }
}
