//! "The stream is the stream": the log's settings must not let events
//! vanish, and a reader must be able to tell that the stream it follows is
//! the one its checkpoint counts in.

use crate::{subjects, Bus, BusError};
use async_nats::jetstream::stream;

/// Which stream a projection's positions belong to: its creation time
/// (a stream deleted and created again gets a new one), and the first
/// sequence it still holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamIdentity {
    pub created: time::OffsetDateTime,
    pub first_sequence: u64,
}

impl StreamIdentity {
    /// What a projection records to recognise the stream again.
    pub fn key(&self) -> String {
        self.created
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_else(|_| self.created.unix_timestamp_nanos().to_string())
    }
}

/// What is wrong with a log stream's settings: each one lets events leave
/// the log (or never enter it), so a projection could not be rebuilt.
pub fn config_problems(config: &stream::Config) -> Vec<String> {
    let mut problems = Vec::new();
    if !config.subjects.iter().any(|s| s == subjects::ALL) {
        problems.push(format!(
            "its subjects {:?} do not include {}",
            config.subjects,
            subjects::ALL
        ));
    }
    if !config.deny_delete {
        problems.push("deny_delete is off (messages can be deleted)".into());
    }
    if !config.deny_purge {
        problems.push("deny_purge is off (the stream can be purged)".into());
    }
    if config.retention != stream::RetentionPolicy::Limits {
        problems.push(format!(
            "retention {:?} removes messages once consumed (Limits is needed)",
            config.retention
        ));
    }
    if config.discard == stream::DiscardPolicy::Old {
        let limits = [
            ("max_age", !config.max_age.is_zero()),
            ("max_msgs", config.max_messages > 0),
            ("max_bytes", config.max_bytes > 0),
            ("max_msgs_per_subject", config.max_messages_per_subject > 0),
        ];
        for (name, set) in limits {
            if set {
                problems.push(format!(
                    "{name} is set with discard Old (old events would be dropped)"
                ));
            }
        }
    }
    problems
}

impl Bus {
    /// The log stream's identity as the server reports it now.
    pub async fn stream_identity(&self) -> Result<StreamIdentity, BusError> {
        let mut s = self.stream().await?;
        let info = s.info().await.map_err(|e| self.stream_error(e))?;
        Ok(StreamIdentity {
            created: info.created,
            first_sequence: info.state.first_sequence,
        })
    }

    /// Refuses a log stream whose settings let events vanish.
    pub(crate) fn check_log_config(&self, config: &stream::Config) -> Result<(), BusError> {
        let problems = config_problems(config);
        if problems.is_empty() {
            return Ok(());
        }
        Err(self.stream_error(format!(
            "refusing to use it as Accord's log: {}; fix the stream (nats stream edit) or point --stream at another",
            problems.join("; ")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn good() -> stream::Config {
        stream::Config {
            name: "ACCORD".into(),
            subjects: vec![subjects::ALL.into()],
            deny_delete: true,
            deny_purge: true,
            retention: stream::RetentionPolicy::Limits,
            ..Default::default()
        }
    }

    #[test]
    fn settings_that_drop_events_are_named() {
        fn check(change: impl Fn(&mut stream::Config), expected: &[&str]) {
            let mut config = good();
            change(&mut config);
            let problems = config_problems(&config);
            assert_eq!(problems.len(), expected.len(), "{problems:?}");
            for (p, e) in problems.iter().zip(expected) {
                assert!(p.contains(e), "{p} should mention {e}");
            }
        }
        check(|_| {}, &[]);
        check(|c| c.deny_delete = false, &["deny_delete"]);
        check(|c| c.deny_purge = false, &["deny_purge"]);
        check(
            |c| c.subjects = vec!["accord.v1.cmt.>".into()],
            &["do not include accord.v1.>"],
        );
        check(
            |c| c.retention = stream::RetentionPolicy::Interest,
            &["retention Interest"],
        );
        check(|c| c.max_age = Duration::from_secs(3600), &["max_age"]);
        check(|c| c.max_messages = 1000, &["max_msgs"]);
        check(|c| c.max_bytes = 1 << 30, &["max_bytes"]);
        check(
            |c| c.max_messages_per_subject = 1,
            &["max_msgs_per_subject"],
        );
        // Unlimited as the server reports it, and limits that refuse new
        // appends instead of dropping old events, are fine.
        check(|c| (c.max_messages, c.max_bytes) = (-1, -1), &[]);
        check(
            |c| {
                c.max_bytes = 1 << 30;
                c.discard = stream::DiscardPolicy::New;
            },
            &[],
        );
    }
}
