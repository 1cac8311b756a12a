//! Exports of commitments as CSV or JSON Lines, one row per commitment with
//! every field. The same code serves `accord export` (rows from gRPC) and
//! the board's export link (rows from the projection, through accord-api's
//! `convert`), so both give the same columns in the same order.
//!
//! Columns, in this order ([`COLUMNS`]); lists are `; `-separated in CSV and
//! arrays in JSON Lines:
//! `id, document_id, kind, status, committers, counterparts, party_statuses`
//! (`PARTY=status[/reason]@effective`), `text, cue, span` (`start-end`),
//! `due, meeting_date, deadline, deadline_basis, topics, evidence`
//! (`date kind document_id "snippet"`), `proposals, alerts`
//! (`kind deadline open|resolved`), `review, successor, confidence, version,
//! position, recorded_at, page` (the PDF page the text starts on; empty
//! for text and HTML readouts). New columns are only ever appended.

use crate::auth::Caller;
use crate::error::HttpError;
use crate::view::{self, ListParams};
use crate::Http;
use accord_proto::domain::short_name;
use accord_proto::v1 as pb;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use serde::Serialize;

/// The export's columns, in order.
pub const COLUMNS: [&str; 25] = [
    "id",
    "document_id",
    "kind",
    "status",
    "committers",
    "counterparts",
    "party_statuses",
    "text",
    "cue",
    "span",
    "due",
    "meeting_date",
    "deadline",
    "deadline_basis",
    "topics",
    "evidence",
    "proposals",
    "alerts",
    "review",
    "successor",
    "confidence",
    "version",
    "position",
    "recorded_at",
    "page",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        match s {
            "csv" => Ok(Format::Csv),
            "jsonl" => Ok(Format::Jsonl),
            other => Err(format!("{other:?} is not an export format (csv or jsonl)")),
        }
    }
}

/// One cell: text, or a list.
#[derive(Serialize)]
#[serde(untagged)]
enum Cell {
    Text(String),
    List(Vec<String>),
}

fn status_name(raw: i32) -> String {
    pb::Status::try_from(raw)
        .map(|s| short_name(s.as_str_name(), "STATUS_"))
        .unwrap_or_default()
}

fn evidence(e: &pb::Evidence) -> String {
    format!("{} {} {} {:?}", e.date, e.kind, e.document_id, e.snippet)
}

/// The cells of one commitment, in [`COLUMNS`] order.
fn cells(c: &pb::Commitment) -> Vec<Cell> {
    use Cell::{List, Text};
    let kind = pb::Kind::try_from(c.kind)
        .map(|k| short_name(k.as_str_name(), "KIND_"))
        .unwrap_or_default();
    let party_statuses = c
        .party_statuses
        .iter()
        .map(|p| {
            let reason = if p.reason.is_empty() {
                String::new()
            } else {
                format!("/{}", p.reason)
            };
            format!(
                "{}={}{reason}@{}",
                p.party,
                status_name(p.status),
                p.effective
            )
        })
        .collect();
    let span = c
        .span
        .as_ref()
        .map(|s| format!("{}-{}", s.start, s.end))
        .unwrap_or_default();
    let proposals = c
        .proposals
        .iter()
        .map(|p| match &p.evidence {
            Some(e) => format!("{} {}", p.proposal_id, evidence(e)),
            None => p.proposal_id.clone(),
        })
        .collect();
    let alerts = c
        .alerts
        .iter()
        .map(|a| {
            let state = if a.resolved_position == 0 {
                "open"
            } else {
                "resolved"
            };
            format!("{} {} {state}", a.kind, a.deadline)
        })
        .collect();
    vec![
        Text(c.id.clone()),
        Text(c.document_id.clone()),
        Text(kind),
        Text(status_name(c.status)),
        List(c.committers.clone()),
        List(c.counterparts.clone()),
        List(party_statuses),
        Text(c.text.clone()),
        Text(c.cue.clone()),
        Text(span),
        Text(c.due.clone()),
        Text(c.meeting_date.clone()),
        Text(c.deadline.clone()),
        Text(c.deadline_basis.clone()),
        List(c.topics.clone()),
        List(c.evidence.iter().map(evidence).collect()),
        List(proposals),
        List(alerts),
        Text(c.review.clone()),
        Text(c.successor.clone()),
        Text(format!("{:.3}", c.confidence)),
        Text(c.version.to_string()),
        Text(c.position.to_string()),
        Text(c.recorded_at.clone()),
        Text(if c.page == 0 {
            String::new()
        } else {
            c.page.to_string()
        }),
    ]
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write the export: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot write the export: {0}")]
    Json(#[from] serde_json::Error),
}

/// Writes `commitments` to `out` (CSV with a header row, or one JSON object
/// per line keyed by column name).
pub fn write(
    format: Format,
    commitments: &[pb::Commitment],
    out: &mut impl std::io::Write,
) -> Result<(), ExportError> {
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(COLUMNS)?;
            for c in commitments {
                w.write_record(cells(c).into_iter().map(|cell| match cell {
                    Cell::Text(t) => t,
                    Cell::List(l) => l.join("; "),
                }))?;
            }
            w.flush()?;
        }
        Format::Jsonl => {
            for c in commitments {
                let row: serde_json::Map<String, serde_json::Value> = COLUMNS
                    .iter()
                    .zip(cells(c))
                    .map(|(k, v)| Ok((k.to_string(), serde_json::to_value(v)?)))
                    .collect::<Result<_, serde_json::Error>>()?;
                serde_json::to_writer(&mut *out, &row)?;
                out.write_all(b"\n")?;
            }
        }
    }
    Ok(())
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// csv (default) or jsonl.
    pub format: Option<String>,
}

/// Every commitment the filters match, as a file.
#[utoipa::path(get, path = "/api/v1/export", params(ExportParams, ListParams),
    responses((status = 200, description = "text/csv or application/x-ndjson", body = String)))]
pub async fn export(
    State(http): State<Http>,
    _caller: Caller,
    Query(format): Query<ExportParams>,
    Query(p): Query<ListParams>,
) -> Result<impl IntoResponse, HttpError> {
    let format: Format = format
        .format
        .as_deref()
        .unwrap_or("csv")
        .parse()
        .map_err(|e: String| HttpError::invalid("format", e))?;
    let listing = view::list_all(&http, &p).await?;
    let rows: Vec<pb::Commitment> = listing
        .commitments
        .iter()
        .map(accord_api::convert::commitment)
        .collect();
    let mut out = Vec::new();
    write(format, &rows, &mut out)
        .map_err(|e| HttpError::new(tonic::Code::Internal, e.to_string()))?;
    let (kind, file) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "commitments.csv"),
        Format::Jsonl => ("application/x-ndjson", "commitments.jsonl"),
    };
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        out,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> pb::Commitment {
        pb::Commitment {
            id: "c1".into(),
            kind: pb::Kind::Action as i32,
            status: pb::Status::Fulfilled as i32,
            committers: vec!["JPN".into(), "NATO".into()],
            text: "They will, \"soon\", act".into(),
            topics: vec!["defence".into()],
            deadline: "2018-10-31".into(),
            deadline_basis: "horizon".into(),
            party_statuses: vec![pb::PartyStatus {
                party: "JPN".into(),
                status: pb::Status::Fulfilled as i32,
                effective: "2018-10-18".into(),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn csv_has_the_documented_columns_in_order() {
        let mut out = Vec::new();
        write(Format::Csv, &[sample()], &mut out).unwrap();
        let mut r = csv::Reader::from_reader(out.as_slice());
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header, COLUMNS);
        let row = r.records().next().unwrap().unwrap();
        let at = |col: &str| row[COLUMNS.iter().position(|c| *c == col).unwrap()].to_owned();
        assert_eq!(at("status"), "fulfilled");
        assert_eq!(at("committers"), "JPN; NATO");
        assert_eq!(at("party_statuses"), "JPN=fulfilled@2018-10-18");
        assert_eq!(at("text"), "They will, \"soon\", act");
        assert_eq!(at("deadline_basis"), "horizon");
    }

    #[test]
    fn jsonl_is_one_object_per_commitment_with_lists_as_arrays() {
        let mut out = Vec::new();
        write(Format::Jsonl, &[sample(), sample()], &mut out).unwrap();
        let lines: Vec<serde_json::Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["committers"], serde_json::json!(["JPN", "NATO"]));
        assert_eq!(lines[0]["kind"], "action");
        let keys: Vec<&String> = lines[0].as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), COLUMNS.len());
    }

    #[test]
    fn unknown_formats_are_named() {
        assert_eq!(
            "xml".parse::<Format>().unwrap_err(),
            "\"xml\" is not an export format (csv or jsonl)"
        );
    }
}
