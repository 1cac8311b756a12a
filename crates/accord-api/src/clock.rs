//! Where "now" comes from. The domain never reads a clock; the edges pass
//! one in, and tests pin it.

use std::sync::Arc;
use time::OffsetDateTime;

pub type Clock = Arc<dyn Fn() -> OffsetDateTime + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(OffsetDateTime::now_utc)
}
