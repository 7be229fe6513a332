//! Each gateway shard of this process: connected or not, and its heartbeat latency. `/readyz` is
//! ready only when every shard of the process's range is connected; `/metrics` shows each.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::OpsState;

/// One shard as the ops endpoints show it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ShardGauge {
    pub connected: bool,
    /// Between the last heartbeat and its acknowledgement, once one has been acknowledged.
    pub latency: Option<Duration>,
}

impl OpsState {
    fn shard_map(&self) -> std::sync::MutexGuard<'_, BTreeMap<u32, ShardGauge>> {
        self.shards.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The shards this process runs, none connected yet.
    pub fn expect_shards(&self, ids: std::ops::Range<u32>) {
        let mut shards = self.shard_map();
        shards.clear();
        shards.extend(ids.map(|id| (id, ShardGauge::default())));
        drop(shards);
        self.gateway_connected.store(false, Ordering::Relaxed);
    }

    /// A shard connected (READY, RESUMED) or lost; the gateway is up when every shard is.
    pub fn set_shard_connected(&self, id: u32, connected: bool) {
        let mut shards = self.shard_map();
        shards.entry(id).or_default().connected = connected;
        let all = shards.values().all(|s| s.connected);
        drop(shards);
        self.gateway_connected.store(all, Ordering::Relaxed);
    }

    pub fn set_shard_latency(&self, id: u32, latency: Option<Duration>) {
        if let Some(shard) = self.shard_map().get_mut(&id) {
            shard.latency = latency;
        }
    }

    pub fn shard_connected(&self, id: u32) -> bool {
        self.shard_map().get(&id).is_some_and(|s| s.connected)
    }

    /// Every shard down (stopping).
    pub fn all_shards_down(&self) {
        for shard in self.shard_map().values_mut() {
            shard.connected = false;
        }
        self.gateway_connected.store(false, Ordering::Relaxed);
    }

    pub fn shard_gauges(&self) -> BTreeMap<u32, ShardGauge> {
        self.shard_map().clone()
    }
}

/// `/readyz`'s lines for the shards: `shard 0: connected`.
pub fn readiness_lines(state: &OpsState) -> String {
    let mut out = String::new();
    for (id, shard) in state.shard_gauges() {
        let _ = writeln!(
            out,
            "shard {id}: {}",
            if shard.connected {
                "connected"
            } else {
                "not connected"
            }
        );
    }
    out
}

/// The shards' Prometheus series.
pub fn render(state: &OpsState) -> String {
    let shards = state.shard_gauges();
    let mut out = String::from(
        "# HELP clio_gateway_shard_connected Whether each gateway shard of this process is connected (1) or not (0).\n\
         # TYPE clio_gateway_shard_connected gauge\n",
    );
    for (id, shard) in &shards {
        let _ = writeln!(
            out,
            "clio_gateway_shard_connected{{shard=\"{id}\"}} {}",
            u8::from(shard.connected)
        );
    }
    out.push_str(
        "# HELP clio_gateway_shard_latency_seconds Each shard's last heartbeat round trip to Discord.\n\
         # TYPE clio_gateway_shard_latency_seconds gauge\n",
    );
    for (id, shard) in &shards {
        if let Some(latency) = shard.latency {
            let _ = writeln!(
                out,
                "clio_gateway_shard_latency_seconds{{shard=\"{id}\"}} {}",
                latency.as_secs_f64()
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ready_only_when_every_shard_of_the_range_is_connected() {
        let state = OpsState::default();
        state.knowledge_loaded.store(true, Ordering::Relaxed);
        state.expect_shards(2..4);
        state.set_shard_connected(2, true);
        assert!(!state.ready());
        assert_eq!(super::super::route(&state, "/readyz").0, 503);
        state.set_shard_connected(3, true);
        assert!(state.ready());
        let (code, _, body) = super::super::route(&state, "/readyz");
        assert_eq!(code, 200);
        assert!(
            body.contains("shard 2: connected\nshard 3: connected"),
            "{body}"
        );
        state.set_shard_latency(3, Some(Duration::from_millis(42)));
        state.set_shard_connected(2, false);
        assert!(!state.ready());
        let metrics = super::super::route(&state, "/metrics").2;
        assert!(
            metrics.contains("clio_gateway_shard_connected{shard=\"2\"} 0"),
            "{metrics}"
        );
        assert!(
            metrics.contains("clio_gateway_shard_connected{shard=\"3\"} 1"),
            "{metrics}"
        );
        assert!(
            metrics.contains("clio_gateway_shard_latency_seconds{shard=\"3\"} 0.042"),
            "{metrics}"
        );
        assert!(
            !metrics.contains("latency_seconds{shard=\"2\"}"),
            "{metrics}"
        );
    }
}
