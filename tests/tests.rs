//! All integration tests in one binary (one link, one place to look), one module per area.

mod it;
