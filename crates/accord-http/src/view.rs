//! Reads shared by the JSON API, the board and the export: listings with
//! every filter, checked by accord-api's `validate` (same field names, same
//! messages) plus the deadline ranges only HTTP offers.

use crate::error::HttpError;
use crate::Http;
use accord_api::query::Query;
use accord_api::{validate, ApiError};
use accord_domain::{Commitment, Kind, Status};
use accord_proto::v1 as pb;
use serde::Deserialize;
use time::Date;

/// Filters and paging of a commitment listing (all optional).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Only commitments this party made (e.g. NATO).
    pub party: Option<String>,
    /// action, cooperation, stance or meeting.
    pub kind: Option<String>,
    /// e.g. fulfilled, in_progress, not_yet_assessed.
    pub status: Option<String>,
    /// With `status`: match this party's own status.
    pub status_party: Option<String>,
    pub topic: Option<String>,
    /// Case-insensitive substring of the text.
    pub text: Option<String>,
    /// Due (the readout's date) on or after, YYYY-MM-DD.
    pub due_from: Option<String>,
    /// Due on or before, YYYY-MM-DD.
    pub due_to: Option<String>,
    /// Assessment deadline on or after, YYYY-MM-DD.
    pub deadline_from: Option<String>,
    /// Assessment deadline on or before, YYYY-MM-DD.
    pub deadline_to: Option<String>,
    /// Only commitments with follow-ups waiting for review.
    pub review_queue: Option<bool>,
    /// Also rejected and merged-away commitments.
    pub include_untracked: Option<bool>,
    /// 1..=1000, default 100.
    pub page_size: Option<i32>,
    /// `next_page_token` of the previous page.
    pub page_token: Option<String>,
    /// Answer only once the projection has applied this log position.
    pub min_position: Option<u64>,
}

/// One page of commitments and the log position it reflects.
pub struct Listing {
    pub commitments: Vec<Commitment>,
    pub next_page_token: String,
    pub position: u64,
}

pub fn query(http: &Http) -> Result<&Query, HttpError> {
    http.service
        .query
        .as_ref()
        .ok_or_else(|| ApiError::RoleMissing("queries").into())
}

fn text(raw: &Option<String>) -> String {
    raw.as_deref().unwrap_or("").trim().to_owned()
}

fn kind(raw: &Option<String>) -> Result<i32, HttpError> {
    match text(raw).as_str() {
        "" => Ok(0),
        k => k
            .parse::<Kind>()
            .map(|k| pb::Kind::from(k) as i32)
            .map_err(|e| HttpError::invalid("kind", e)),
    }
}

pub fn status(field: &'static str, raw: &Option<String>) -> Result<i32, HttpError> {
    match text(raw).as_str() {
        "" => Ok(0),
        s => s
            .parse::<Status>()
            .map(|s| pb::Status::from(s) as i32)
            .map_err(|e| HttpError::invalid(field, e)),
    }
}

pub fn date(field: &'static str, raw: &Option<String>) -> Result<Option<Date>, HttpError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match text(raw).as_str() {
        "" => Ok(None),
        d => Date::parse(d, format)
            .map(Some)
            .map_err(|_| HttpError::invalid(field, format!("{d:?} is not a date YYYY-MM-DD"))),
    }
}

/// Date bounds on the due date and the deadline.
struct Ranges([(Option<Date>, Option<Date>); 2]);

impl Ranges {
    fn read(p: &ListParams) -> Result<Ranges, HttpError> {
        Ok(Ranges([
            (date("due_from", &p.due_from)?, date("due_to", &p.due_to)?),
            (
                date("deadline_from", &p.deadline_from)?,
                date("deadline_to", &p.deadline_to)?,
            ),
        ]))
    }

    fn any(&self) -> bool {
        self.0.iter().any(|(a, b)| a.is_some() || b.is_some())
    }

    fn matches(&self, c: &Commitment) -> bool {
        let within = |d: Option<Date>, (from, to): (Option<Date>, Option<Date>)| {
            if from.is_none() && to.is_none() {
                return true;
            }
            d.is_some_and(|d| from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t))
        };
        within(c.due, self.0[0]) && within(c.deadline.as_ref().map(|d| d.due), self.0[1])
    }
}

/// One page of the listing `p` asks for.
pub async fn list(http: &Http, p: &ListParams) -> Result<Listing, HttpError> {
    let q = query(http)?;
    let request = pb::ListCommitmentsRequest {
        party: text(&p.party),
        kind: kind(&p.kind)?,
        status: status("status", &p.status)?,
        text_contains: text(&p.text),
        page_size: p.page_size.unwrap_or(0),
        page_token: text(&p.page_token),
        min_position: p.min_position,
        status_party: text(&p.status_party),
        topic: text(&p.topic),
        review_queue: p.review_queue.unwrap_or(false),
        include_untracked: p.include_untracked.unwrap_or(false),
    };
    let list = validate::list_commitments(&request)?;
    let ranges = Ranges::read(p)?;
    let position = q.at(p.min_position).await?;
    let page = if ranges.any() {
        // The store has no index on these: scan the filtered rest, then page.
        let mut all = q
            .store
            .list(&list.filter, list.after.as_ref(), usize::MAX)?;
        all.commitments.retain(|c| ranges.matches(c));
        let more = all.commitments.len() > list.limit;
        all.commitments.truncate(list.limit);
        let next_after = more
            .then(|| all.commitments.last().map(|c| c.id.clone()))
            .flatten();
        accord_store::Page {
            commitments: all.commitments,
            next_after,
        }
    } else {
        q.store
            .list(&list.filter, list.after.as_ref(), list.limit)?
    };
    Ok(Listing {
        commitments: page.commitments,
        next_page_token: page.next_after.map(|id| id.to_string()).unwrap_or_default(),
        position,
    })
}

/// Every commitment the filters match, across pages.
pub async fn list_all(http: &Http, p: &ListParams) -> Result<Listing, HttpError> {
    let mut p = p.clone();
    p.page_size = Some(validate::MAX_PAGE_SIZE as i32);
    let mut first = list(http, &p).await?;
    while !first.next_page_token.is_empty() {
        p.page_token = Some(std::mem::take(&mut first.next_page_token));
        let next = list(http, &p).await?;
        first.commitments.extend(next.commitments);
        first.next_page_token = next.next_page_token;
    }
    Ok(first)
}

/// One commitment as the tracker has it now.
pub async fn commitment(
    http: &Http,
    id: &str,
    min_position: Option<u64>,
) -> Result<(Commitment, u64), HttpError> {
    let q = query(http)?;
    let request = pb::GetCommitmentRequest {
        id: id.to_owned(),
        min_position,
        ..Default::default()
    };
    let (id, _) = validate::get_commitment(&request)?;
    let position = q.at(min_position).await?;
    let c = q.store.commitment(&id)?.ok_or(ApiError::NotFound {
        what: "commitment",
        id: id.to_string(),
    })?;
    Ok((c, position))
}
