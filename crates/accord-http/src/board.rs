//! The follow-up board: server-rendered pages (minijinja templates under
//! `templates/`, embedded at build time) with a little plain JS for sorting,
//! review buttons and live updates from `/api/v1/events`.
//!
//! Pages take the caller from the `accord_token` cookie the login form sets;
//! accept and dismiss buttons are rendered for analysts only (and the API
//! refuses anyone else with 403 whatever the page shows).

use crate::api;
use crate::auth::authorization;
use crate::error::HttpError;
use crate::view::{self, ListParams};
use crate::Http;
use accord_auth::Identity;
use accord_domain::{Commitment, Span, Status};
use accord_store::AsOf;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

pub fn routes() -> Router<Http> {
    Router::new()
        .route("/", get(overview))
        .route("/login", get(login))
        .route("/commitments", get(commitments))
        .route("/commitments/{id}", get(commitment))
        .route("/parties/{party}", get(party))
        .route("/review", get(review_queue))
        .route("/static/board.js", get(script))
        .route("/static/board.css", get(style))
}

fn env() -> &'static minijinja::Environment<'static> {
    static ENV: OnceLock<minijinja::Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = minijinja::Environment::new();
        let templates = [
            ("base.html", include_str!("../templates/base.html")),
            ("overview.html", include_str!("../templates/overview.html")),
            ("login.html", include_str!("../templates/login.html")),
            (
                "commitments.html",
                include_str!("../templates/commitments.html"),
            ),
            (
                "commitment.html",
                include_str!("../templates/commitment.html"),
            ),
            ("party.html", include_str!("../templates/party.html")),
            ("review.html", include_str!("../templates/review.html")),
        ];
        for (name, source) in templates {
            env.add_template(name, source)
                .expect("the board's templates parse");
        }
        env
    })
}

/// A board page; errors render as a page too.
pub struct Page(Result<Html<String>, HttpError>);

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        match self.0 {
            Ok(html) => html.into_response(),
            Err(e) if e.status == StatusCode::UNAUTHORIZED => {
                Redirect::to("/login").into_response()
            }
            Err(e) => {
                let body = render("base.html", json!({ "error": e.body }));
                (e.status, body.unwrap_or_else(|_| Html(e.to_string()))).into_response()
            }
        }
    }
}

fn render(name: &str, ctx: Value) -> Result<Html<String>, HttpError> {
    env()
        .get_template(name)
        .and_then(|t| t.render(ctx))
        .map(Html)
        .map_err(|e| {
            HttpError::new(
                tonic::Code::Internal,
                format!("board template {name}: {e:#}"),
            )
        })
}

/// The caller of a page (from the cookie).
pub struct Viewer(Result<Identity, HttpError>);

impl FromRequestParts<Http> for Viewer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, http: &Http) -> Result<Viewer, Self::Rejection> {
        Ok(Viewer(http.tokens.verify(authorization(parts).as_deref())))
    }
}

fn page(
    viewer: Viewer,
    name: &str,
    build: impl FnOnce(&Identity) -> Result<Value, HttpError>,
) -> Page {
    Page(viewer.0.and_then(|who| {
        accord_auth::authorize(&who, "GetCommitment").map_err(accord_api::ApiError::Auth)?;
        let mut ctx = build(&who)?;
        ctx["who"] = json!({ "name": who.name, "role": who.role.as_str() });
        ctx["analyst"] = json!(accord_auth::authorize(&who, "ReviewCommitment").is_ok());
        render(name, ctx)
    }))
}

async fn login(State(http): State<Http>) -> Page {
    Page(render(
        "login.html",
        json!({ "open": http.tokens.is_open() }),
    ))
}

async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../static/board.js"),
    )
}

async fn style() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../static/board.css"),
    )
}

fn today(http: &Http) -> time::Date {
    (http.clock)().date()
}

async fn overview(State(http): State<Http>, viewer: Viewer) -> Page {
    let all = view::list_all(&http, &ListParams::default()).await;
    page(viewer, "overview.html", |_| {
        let all = all?;
        let mut counts: BTreeMap<String, u32> = BTreeMap::new();
        let mut parties = BTreeSet::new();
        for c in &all.commitments {
            *counts.entry(api::name(c.status)).or_default() += 1;
            parties.extend(c.committers.iter().map(|p| p.to_string()));
        }
        let alerts = api::open_alerts(&all.commitments);
        let (overdue, soon): (Vec<_>, Vec<_>) =
            alerts.into_iter().partition(|a| a.kind == "overdue");
        Ok(json!({
            "counts": counts, "total": all.commitments.len(), "overdue": overdue,
            "due_soon": soon, "parties": parties, "today": today(&http).to_string(),
            "position": all.position, "live_reload": true,
        }))
    })
}

/// A row of the commitments table.
fn row(c: &Commitment) -> Value {
    json!({
        "id": c.id.to_string(), "text": c.text, "kind": api::name(c.kind),
        "status": api::name(c.status), "committers": c.committers.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
        "due": c.due.map(|d| d.to_string()), "deadline": c.deadline.as_ref().map(|d| d.due.to_string()),
        "topics": c.topics, "proposals": c.proposals.len(),
        "meeting_date": c.meeting_date.map(|d| d.to_string()), "page": c.page,
    })
}

async fn commitments(
    State(http): State<Http>,
    viewer: Viewer,
    Query(p): Query<ListParams>,
    raw: axum::extract::RawQuery,
) -> Page {
    let listing = view::list_all(&http, &p).await;
    page(viewer, "commitments.html", |_| {
        let listing = listing?;
        let query = raw.0.unwrap_or_default();
        Ok(json!({
            "rows": listing.commitments.iter().map(row).collect::<Vec<_>>(),
            "filters": {
                "party": p.party, "kind": p.kind, "status": p.status, "topic": p.topic,
                "text": p.text, "due_from": p.due_from, "due_to": p.due_to,
                "deadline_from": p.deadline_from, "deadline_to": p.deadline_to,
            },
            "statuses": Status::ALL.iter().map(api::name).collect::<Vec<_>>(),
            "export_csv": format!("/api/v1/export?format=csv&{query}"),
            "export_jsonl": format!("/api/v1/export?format=jsonl&{query}"),
            "position": listing.position,
        }))
    })
}

/// `text` cut around `span` (offsets relative to the text's own start).
fn marked(text: &str, start: usize, end: usize) -> Value {
    let cut = |i: usize| {
        let mut i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (a, b) = (cut(start), cut(end.max(start)));
    json!({ "before": &text[..a], "mark": &text[a..b], "after": &text[b..] })
}

/// The readout's sentences, the ones `span` falls in marked.
fn readout(sentences: &[accord_domain::event::SentenceText], span: Span) -> Vec<Value> {
    sentences
        .iter()
        .map(|s| {
            let overlaps = s.span.start < span.end && span.start < s.span.end;
            if overlaps {
                marked(
                    &s.text,
                    span.start.saturating_sub(s.span.start),
                    span.end.saturating_sub(s.span.start),
                )
            } else {
                json!({ "before": s.text, "mark": "", "after": "" })
            }
        })
        .collect()
}

/// The sentence of document `doc` holding `span`, marked.
fn quote(http: &Http, doc: &accord_domain::DocumentId, span: Span) -> Option<Value> {
    let text = view::query(http)
        .ok()?
        .store
        .readouts()
        .ok()?
        .get(doc)
        .ok()??;
    readout(&text.sentences, span)
        .into_iter()
        .find(|s| s["mark"].as_str().is_some_and(|m| !m.is_empty()))
}

fn evidence_view(http: &Http, e: &accord_domain::Evidence, position: Option<u64>) -> Value {
    let quoted = match (&e.document_id, e.span) {
        (Some(doc), Some(span)) => quote(http, doc, span),
        _ => None,
    };
    json!({
        "id": e.evidence_id, "kind": api::name(e.kind), "date": e.date.to_string(),
        "snippet": e.snippet, "document_id": e.document_id.as_ref().map(|d| d.to_string()),
        "source_url": e.source_url, "confidence": e.link_confidence, "position": position,
        "quote": quoted,
    })
}

async fn commitment(State(http): State<Http>, viewer: Viewer, Path(id): Path<String>) -> Page {
    let found = view::commitment(&http, &id, None).await;
    page(viewer, "commitment.html", |_| {
        let (c, position) = found?;
        let q = view::query(&http)?;
        let text = q.store.readouts()?.get(&c.document_id)?;
        let log: Vec<Value> = q
            .store
            .history(&c.id)?
            .iter()
            .map(|(p, e)| {
                json!({ "position": p, "type": e.event.type_name(),
                "recorded_at": e.meta.recorded_at.to_string() })
            })
            .collect();
        let evidence: Vec<Value> = c
            .evidence
            .iter()
            .map(|a| evidence_view(&http, &a.evidence, Some(a.position)))
            .collect();
        let proposals: Vec<Value> = c
            .proposals
            .iter()
            .map(|p| {
                json!({ "id": p.proposal_id, "status": p.status.map(api::name),
                "evidence": evidence_view(&http, &p.evidence, None) })
            })
            .collect();
        Ok(json!({
            "c": row(&c), "version": c.version, "cue": c.cue, "review": c.review,
            "party_statuses": c.party_status, "history": c.history,
            "deadline": c.deadline, "alerts": c.alerts,
            "readout": text.map(|t| readout(&t.sentences, c.span)),
            "evidence": evidence, "proposals": proposals, "log": log,
            "position": position, "commitment_id": c.id.to_string(),
        }))
    })
}

/// One point of a party's score over time.
#[derive(Serialize)]
struct Point {
    date: String,
    score: f64,
    x: f64,
    y: f64,
}

/// The party's compliance score as of each date something happened.
fn score_over_time(
    http: &Http,
    party: &accord_domain::Party,
    commitments: &[Commitment],
) -> Result<Vec<Point>, HttpError> {
    let q = view::query(http)?;
    let dates: BTreeSet<time::Date> = commitments
        .iter()
        .flat_map(|c| {
            c.meeting_date
                .into_iter()
                .chain(c.history.iter().map(|h| h.effective))
        })
        .collect();
    let mut raw = Vec::new();
    for d in &dates {
        let at = d.next_day().unwrap_or(*d).midnight().assume_utc();
        let mut then = Vec::new();
        for c in commitments {
            if let Some(s) = q.store.commitment_as_of(&c.id, AsOf::Occurred(at))? {
                then.push(s);
            }
        }
        let r = accord_domain::report::compliance(party, &then, None, Some(*d));
        if let Some(score) = r.score {
            raw.push((*d, score));
        }
    }
    let (w, h) = (520.0, 160.0);
    let n = raw.len().max(2) as f64 - 1.0;
    Ok(raw
        .into_iter()
        .enumerate()
        .map(|(i, (d, score))| Point {
            date: d.to_string(),
            score,
            x: 20.0 + w * i as f64 / n,
            y: 10.0 + h * (1.0 - (score + 1.0) / 2.0),
        })
        .collect())
}

async fn party(State(http): State<Http>, viewer: Viewer, Path(code): Path<String>) -> Page {
    let report = api::compliance(
        &http,
        &code,
        &api::ReportParams {
            since: None,
            until: None,
            min_position: None,
        },
    )
    .await;
    let p = ListParams {
        party: Some(code.clone()),
        ..Default::default()
    };
    let listing = view::list_all(&http, &p).await;
    page(viewer, "party.html", |_| {
        let (report, listing) = (report?, listing?);
        let party: accord_domain::Party = code
            .parse()
            .map_err(|e: accord_domain::PartyError| HttpError::invalid("party", e.to_string()))?;
        let points = score_over_time(&http, &party, &listing.commitments)?;
        let line = points
            .iter()
            .map(|p| format!("{:.1},{:.1}", p.x, p.y))
            .collect::<Vec<_>>()
            .join(" ");
        Ok(json!({
            "party": code, "report": report, "points": points, "line": line,
            "rows": listing.commitments.iter().map(row).collect::<Vec<_>>(),
        }))
    })
}

async fn review_queue(State(http): State<Http>, viewer: Viewer) -> Page {
    let p = ListParams {
        review_queue: Some(true),
        ..Default::default()
    };
    let listing = view::list_all(&http, &p).await;
    page(viewer, "review.html", |_| {
        let listing = listing?;
        let items: Vec<Value> = listing
            .commitments
            .iter()
            .map(|c| {
                json!({
                    "c": row(c), "version": c.version,
                    "proposals": c.proposals.iter().map(|p| json!({
                        "id": p.proposal_id, "status": p.status.map(api::name),
                        "evidence": evidence_view(&http, &p.evidence, None),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        Ok(json!({ "items": items, "position": listing.position }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_marked_within_their_sentence() {
        let check = |text: &str, (a, b): (usize, usize), want: [&str; 3]| {
            let m = marked(text, a, b);
            assert_eq!(
                [&m["before"], &m["mark"], &m["after"]],
                want.map(|s| json!(s)).each_ref()
            );
        };
        check("Japan will act.", (6, 10), ["Japan ", "will", " act."]);
        check("Japan will act.", (6, 99), ["Japan ", "will act.", ""]);
        // Never inside a UTF-8 character.
        check("Pré à", (3, 4), ["Pr", "é", " à"]);
    }

    #[test]
    fn every_template_renders() {
        for name in ["base.html", "login.html"] {
            assert!(render(name, json!({})).is_ok(), "{name}");
        }
    }
}
