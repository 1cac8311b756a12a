//! Scores the extractor on gold readouts, like `shared/corpus/score.py`:
//! a prediction matches a gold commitment when its span covers at least half
//! of the anchor's bytes (one-to-one, best overlap first).
//!
//! Runs on this repository's `tests/readouts` (always) and on the shared dev
//! corpus when it is present beside the repository.

use accord_extract::{extract, Options};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Default, Debug, Clone)]
struct Score {
    tp: usize,
    fp: usize,
    fn_: usize,
    same_committers: usize,
    same_kind: usize,
    due_total: usize,
    same_due: usize,
}

impl Score {
    fn add(&mut self, o: &Score) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
        self.same_committers += o.same_committers;
        self.same_kind += o.same_kind;
        self.due_total += o.due_total;
        self.same_due += o.same_due;
    }
    fn p(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fp).max(1) as f64
    }
    fn r(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fn_).max(1) as f64
    }
    fn f1(&self) -> f64 {
        let p = self.tp as f64 / (self.tp + self.fp).max(1) as f64;
        let r = self.tp as f64 / (self.tp + self.fn_).max(1) as f64;
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn share(n: usize, d: usize) -> f64 {
        if d == 0 {
            1.0
        } else {
            n as f64 / d as f64
        }
    }
}

/// The publisher style of a readout: its file name up to the first '-'
/// ("whitehouse", "govuk", "kantei", ...).
fn style_of(gold: &Path) -> String {
    let name = gold.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    name.split('-').next().unwrap_or(name).to_string()
}

/// Scores every gold file of `gold_dir`: the total and one score per style.
fn score_dir(gold_dir: &Path, readout_dir: &Path) -> Option<(Score, BTreeMap<String, Score>)> {
    let mut golds: Vec<PathBuf> = std::fs::read_dir(gold_dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    golds.sort();
    if golds.is_empty() {
        return None;
    }
    let (mut total, mut styles) = (Score::default(), BTreeMap::<String, Score>::new());
    for g in golds {
        let mut s = Score::default();
        let style = style_of(&g);
        let gold: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&g).unwrap()).unwrap();
        let doc = readout_dir.join(gold["document"].as_str().unwrap());
        let bytes = std::fs::read(&doc).unwrap();
        let date = gold["date"]
            .as_str()
            .map(|d| time::Date::parse(d, &time::macros::format_description!("[year]-[month]-[day]")).unwrap());
        let x = extract(&bytes, &Options { date, ..Options::default() }).unwrap();
        let gc = gold["commitments"].as_array().unwrap();
        let anchors: Vec<(usize, usize)> = gc
            .iter()
            .map(|c| {
                let a = c["anchor"].as_str().unwrap().as_bytes();
                let pos =
                    bytes.windows(a.len()).position(|w| w == a).unwrap_or_else(|| panic!("anchor {a:?} in {doc:?}"));
                (pos, pos + a.len())
            })
            .collect();
        let mut pairs = Vec::new();
        for (gi, &(s0, e0)) in anchors.iter().enumerate() {
            for (pi, p) in x.commitments.iter().enumerate() {
                let ov = e0.min(p.span.end).saturating_sub(s0.max(p.span.start));
                if ov * 2 >= e0 - s0 {
                    pairs.push((ov, gi, pi));
                }
            }
        }
        pairs.sort_by(|a, b| b.cmp(a));
        let (mut ug, mut up) = (vec![false; gc.len()], vec![false; x.commitments.len()]);
        for (_, gi, pi) in pairs {
            if ug[gi] || up[pi] {
                continue;
            }
            ug[gi] = true;
            up[pi] = true;
            s.tp += 1;
            let g = &gc[gi];
            let p = &x.commitments[pi];
            let mut gcm: Vec<String> =
                g["committers"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
            let mut pcm: Vec<String> = p.committers.iter().map(|c| c.to_string()).collect();
            gcm.sort();
            pcm.sort();
            s.same_committers += (gcm == pcm) as usize;
            s.same_kind += (g["kind"].as_str().unwrap() == p.kind.as_str()) as usize;
            let gd = g["due"].as_str().map(str::to_string);
            let pd = p.due.map(|d| d.to_string());
            if gd.is_some() || pd.is_some() {
                s.due_total += 1;
                s.same_due += (gd == pd) as usize;
            }
        }
        s.fp += up.iter().filter(|u| !**u).count();
        s.fn_ += ug.iter().filter(|u| !**u).count();
        total.add(&s);
        styles.entry(style).or_default().add(&s);
    }
    Some((total, styles))
}

/// One line per publisher style: P, R, F1 and the attribute shares.
fn report_styles(name: &str, styles: &BTreeMap<String, Score>) {
    eprintln!(
        "{name} by style:  {:<11} {:>4} {:>3} {:>3} {:>6} {:>6} {:>6} {:>6} {:>6}",
        "style", "gold", "fp", "fn", "P", "R", "F1", "comm", "kind"
    );
    for (style, s) in styles {
        eprintln!(
            "{name} by style:  {style:<11} {:>4} {:>3} {:>3} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>6.3}",
            s.tp + s.fn_,
            s.fp,
            s.fn_,
            s.p(),
            s.r(),
            s.f1(),
            Score::share(s.same_committers, s.tp),
            Score::share(s.same_kind, s.tp),
        );
    }
}

fn assert_good(name: &str, s: &Score, min_f1: f64, min_attr: f64) {
    let committers = Score::share(s.same_committers, s.tp);
    let kind = Score::share(s.same_kind, s.tp);
    let due = Score::share(s.same_due, s.due_total);
    eprintln!("{name}: {s:?} F1={:.3} committers={committers:.3} kind={kind:.3} due={due:.3}", s.f1());
    assert!(s.f1() >= min_f1, "{name}: F1 {:.3} < {min_f1}", s.f1());
    assert!(committers >= min_attr && kind >= min_attr && due >= min_attr, "{name}: attributes below {min_attr}");
}

#[test]
fn own_readouts_score_well() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/readouts");
    let (s, styles) = score_dir(&dir, &dir).expect("tests/readouts has gold files");
    report_styles("tests/readouts", &styles);
    assert_good("tests/readouts", &s, 0.90, 0.85);
    // every publisher style holds the floor on its own, not only on average
    for (style, s) in &styles {
        assert!(s.f1() >= 0.85, "tests/readouts style {style}: F1 {:.3} < 0.85", s.f1());
    }
}

#[test]
fn shared_dev_corpus_scores_well() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    match score_dir(&root.join("gold"), &root.join("readouts")) {
        Some((s, _)) => assert_good("shared/corpus", &s, 0.90, 0.85),
        None => eprintln!("shared corpus not found beside the repository; skipped"),
    }
}
