//! Counters, gauges and a latency histogram, rendered in Prometheus' text format.
//!
//! Hand-rolled on atomics: a dozen series do not justify a metrics framework, and every update is a
//! lock-free add on the interaction path (only the per-command counters take a short lock).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// How an interaction ended, for the `outcome` label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// A public answer.
    Answered,
    /// An ephemeral user error: no match, bad input.
    UserError,
    /// An internal error (logged with an id).
    Failed,
}

impl Outcome {
    fn label(self) -> &'static str {
        match self {
            Outcome::Answered => "answered",
            Outcome::UserError => "user_error",
            Outcome::Failed => "failed",
        }
    }
}

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Default)]
pub struct Metrics {
    interactions: Mutex<BTreeMap<(String, Outcome), u64>>,
    latency_buckets: [AtomicU64; BUCKETS.len()],
    latency_count: AtomicU64,
    latency_sum_micros: AtomicU64,
    entries: Mutex<BTreeMap<String, u64>>,
    pub quizzes_running: AtomicU64,
    pub answers_recorded: AtomicU64,
    pub gateway_reconnects: AtomicU64,
    pub reloads: AtomicU64,
    pub reload_failures: AtomicU64,
    pub daily_posts: AtomicU64,
}

impl Metrics {
    /// Count one handled interaction and its handling time.
    pub fn interaction(&self, command: &str, outcome: Outcome, took: Duration) {
        // Command names come from our own list, but bound the label anyway.
        let command: String = command
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ' ')
            .take(40)
            .collect();
        *self
            .interactions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry((command, outcome))
            .or_default() += 1;
        let secs = took.as_secs_f64();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                self.latency_buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        self.latency_sum_micros
            .fetch_add(took.as_micros() as u64, Ordering::Relaxed);
    }

    /// Record the entries per kind of the base now being served.
    pub fn set_entries(&self, counts: impl IntoIterator<Item = (String, u64)>) {
        let mut e = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        e.clear();
        e.extend(counts);
    }

    pub fn interactions_total(&self) -> u64 {
        self.interactions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .sum()
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        out.push_str("# HELP clio_interactions_total Interactions handled, by command and outcome.\n# TYPE clio_interactions_total counter\n");
        for ((command, outcome), n) in self
            .interactions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            let _ = writeln!(
                out,
                "clio_interactions_total{{command=\"{command}\",outcome=\"{}\"}} {n}",
                outcome.label()
            );
        }
        out.push_str("# HELP clio_interaction_seconds Time from receiving an interaction to sending its answer.\n# TYPE clio_interaction_seconds histogram\n");
        for (i, bound) in BUCKETS.iter().enumerate() {
            let _ = writeln!(
                out,
                "clio_interaction_seconds_bucket{{le=\"{bound}\"}} {}",
                load(&self.latency_buckets[i])
            );
        }
        let count = load(&self.latency_count);
        let _ = writeln!(
            out,
            "clio_interaction_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(
            out,
            "clio_interaction_seconds_sum {}",
            load(&self.latency_sum_micros) as f64 / 1e6
        );
        let _ = writeln!(out, "clio_interaction_seconds_count {count}");
        out.push_str("# HELP clio_knowledge_entries Entries in the knowledge base being served, by kind.\n# TYPE clio_knowledge_entries gauge\n");
        for (kind, n) in self
            .entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            let _ = writeln!(out, "clio_knowledge_entries{{kind=\"{kind}\"}} {n}");
        }
        let simple: [(&str, &str, &str, &AtomicU64); 6] = [
            (
                "clio_quizzes_running",
                "gauge",
                "Quizzes running now.",
                &self.quizzes_running,
            ),
            (
                "clio_quiz_answers_recorded_total",
                "counter",
                "Quiz answers recorded.",
                &self.answers_recorded,
            ),
            (
                "clio_gateway_reconnects_total",
                "counter",
                "Gateway connections re-established after the first.",
                &self.gateway_reconnects,
            ),
            (
                "clio_knowledge_reloads_total",
                "counter",
                "Knowledge reloads attempted.",
                &self.reloads,
            ),
            (
                "clio_knowledge_reload_failures_total",
                "counter",
                "Knowledge reloads rejected (the old base kept serving).",
                &self.reload_failures,
            ),
            (
                "clio_daily_posts_total",
                "counter",
                "Daily \"on this day\" posts sent.",
                &self.daily_posts,
            ),
        ];
        for (name, kind, help, value) in simple {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {}",
                load(value)
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counts_and_a_cumulative_histogram() {
        let m = Metrics::default();
        m.interaction("who", Outcome::Answered, Duration::from_micros(700));
        m.interaction("who", Outcome::UserError, Duration::from_millis(30));
        m.set_entries([("person".to_string(), 27)]);
        let text = m.render();
        assert!(
            text.contains("clio_interactions_total{command=\"who\",outcome=\"answered\"} 1"),
            "{text}"
        );
        assert!(text.contains("clio_interaction_seconds_bucket{le=\"0.001\"} 1"));
        assert!(text.contains("clio_interaction_seconds_bucket{le=\"0.05\"} 2"));
        assert!(text.contains("clio_interaction_seconds_count 2"));
        assert!(text.contains("clio_knowledge_entries{kind=\"person\"} 27"));
    }
}
