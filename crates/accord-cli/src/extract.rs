//! `accord extract`: the extractor on one file, offline.

use anyhow::Context;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Json,
    Table,
}

#[derive(Args)]
pub struct ExtractArgs {
    /// A readout: plain text, HTML or PDF (its text; `--format json` gives
    /// each commitment's `page`).
    file: PathBuf,
    /// Meeting date (YYYY-MM-DD) that relative deadlines resolve against.
    #[arg(long, env = "ACCORD_DATE")]
    date: Option<String>,
    /// Party code of the publisher (e.g. JPN).
    #[arg(long, env = "ACCORD_PUBLISHER")]
    publisher: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Folder with extra parties.tsv / leaders.tsv / topics.tsv rows.
    #[arg(long, env = "ACCORD_GAZETTEER_DIR")]
    gazetteer_dir: Option<PathBuf>,
    /// Show, sentence by sentence, why something was or was not taken.
    #[arg(long)]
    explain: bool,
}

pub fn run(args: ExtractArgs) -> anyhow::Result<()> {
    let bytes =
        std::fs::read(&args.file).with_context(|| format!("read {}", args.file.display()))?;
    // A PDF's readout is the text of its pages; spans point into that text.
    let pdf = accord_pdf::is_pdf(&args.file, &bytes)
        .then(|| accord_pdf::text(&bytes).with_context(|| args.file.display().to_string()))
        .transpose()?;
    let bytes = pdf.as_ref().map_or(bytes, |p| p.text.clone().into_bytes());
    let date = args
        .date
        .as_deref()
        .map(|d| {
            time::Date::parse(d, accord_domain::event::ISO_DATE)
                .with_context(|| format!("--date {d:?} is not YYYY-MM-DD"))
        })
        .transpose()?;
    let publisher = args
        .publisher
        .as_deref()
        .map(str::parse::<accord_domain::Party>)
        .transpose()?;
    let extra = load_gazetteer(args.gazetteer_dir.as_deref())?;
    let options = accord_extract::Options {
        date,
        publisher,
        extra,
        ..Default::default()
    };
    if args.explain {
        print!(
            "{}",
            accord_extract::explain(&bytes, &options)
                .with_context(|| args.file.display().to_string())?
        );
        return Ok(());
    }
    let extraction = accord_extract::extract(&bytes, &options)
        .with_context(|| args.file.display().to_string())?;
    match args.format {
        Format::Json => {
            let mut value = serde_json::to_value(&extraction)?;
            if let Some(pdf) = &pdf {
                add_pages(&mut value, pdf);
            }
            println!("{}", serde_json::to_string_pretty(&value)?)
        }
        Format::Table => print!("{}", extraction.to_table()),
    }
    Ok(())
}

/// Each commitment of a PDF gets the `page` (from 1) its span starts on.
fn add_pages(extraction: &mut serde_json::Value, pdf: &accord_pdf::PdfText) {
    let commitments = extraction["commitments"].as_array_mut();
    for commitment in commitments.into_iter().flatten() {
        if let Some(start) = commitment["span"]["start"].as_u64() {
            commitment["page"] = pdf.page_of(start as usize).into();
        }
    }
}

/// Reads the extra gazetteer rows once, with a clear error naming the folder.
pub fn load_gazetteer(
    dir: Option<&std::path::Path>,
) -> anyhow::Result<Option<std::sync::Arc<accord_extract::ExtraData>>> {
    let Some(dir) = dir else { return Ok(None) };
    let data = accord_extract::ExtraData::load_dir(dir)
        .with_context(|| format!("read gazetteer rows from {}", dir.display()))?;
    Ok(Some(std::sync::Arc::new(data)))
}
