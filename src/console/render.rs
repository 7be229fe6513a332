//! A reply as terminal text: title, text, fields, sources, and numbered buttons with their ids.

use crate::answers::{Reply, Response};

struct Style {
    on: bool,
}

impl Style {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
    fn accent(&self, s: &str) -> String {
        self.wrap("36", s)
    }
}

pub fn render_response(response: &Response, color: bool) -> String {
    let (reply, how) = match response {
        Response::Message(r) => (
            r,
            if r.ephemeral {
                "reply (only you can see this)"
            } else {
                "reply"
            },
        ),
        Response::Update(r) => (r, "updates the message"),
    };
    render(reply, how, &Style { on: color })
}

fn render(reply: &Reply, how: &str, st: &Style) -> String {
    let mut out = String::new();
    out.push_str(&st.dim(&format!("── {how} ──")));
    out.push('\n');
    if let Some(c) = &reply.content {
        out.push_str(c);
        out.push('\n');
    }
    for e in &reply.embeds {
        if let Some(t) = &e.title {
            out.push_str(&st.bold(t));
            out.push('\n');
        }
        if let Some(d) = &e.description {
            out.push_str(d);
            out.push('\n');
        }
        for f in &e.fields {
            out.push('\n');
            out.push_str(&st.accent(&f.name));
            out.push('\n');
            out.push_str(&f.value);
            out.push('\n');
        }
        if let Some(f) = &e.footer {
            out.push('\n');
            out.push_str(&st.dim(f));
            out.push('\n');
        }
    }
    let mut n = 0;
    for row in &reply.rows {
        let mut line = String::new();
        for b in row {
            n += 1;
            let label = if b.disabled {
                st.dim(&format!("[{n}] {} (disabled)", b.label))
            } else {
                format!("[{n}] {}", st.bold(&b.label))
            };
            line.push_str(&format!(
                "{label} {}  ",
                st.dim(&format!("<{}>", b.custom_id))
            ));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
