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
    /// A readout: plain text or HTML.
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
        Format::Json => println!("{}", serde_json::to_string_pretty(&extraction)?),
        Format::Table => print!("{}", extraction.to_table()),
    }
    Ok(())
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
