//! Run the extractor on one file:
//! `extract [--date YYYY-MM-DD] [--publisher CODE] [--format json|table] [--explain] [--data DIR] FILE`

use accord_extract::{explain, extract, ExtraData, Options};
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

fn main() -> ExitCode {
    let mut opts = Options::default();
    let mut format = "json".to_string();
    let mut do_explain = false;
    let mut file = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--date" => {
                let v = args.next().unwrap_or_default();
                let fmt = time::macros::format_description!("[year]-[month]-[day]");
                match time::Date::parse(&v, &fmt) {
                    Ok(d) => opts.date = Some(d),
                    Err(e) => {
                        eprintln!("bad --date {v:?}: {e}");
                        return ExitCode::from(2);
                    }
                }
            }
            "--publisher" => match args.next().unwrap_or_default().parse() {
                Ok(p) => opts.publisher = Some(p),
                Err(e) => {
                    eprintln!("bad --publisher: {e}");
                    return ExitCode::from(2);
                }
            },
            "--format" => format = args.next().unwrap_or_default(),
            "--explain" => do_explain = true,
            "--data" => {
                let dir = args.next().unwrap_or_default();
                match ExtraData::load_dir(std::path::Path::new(&dir)) {
                    Ok(d) => opts.extra = Some(Arc::new(d)),
                    Err(e) => {
                        eprintln!("cannot read {dir}: {e}");
                        return ExitCode::from(2);
                    }
                }
            }
            "-h" | "--help" => {
                println!("usage: extract [--date YYYY-MM-DD] [--publisher CODE] [--format json|table] [--explain] [--data DIR] FILE");
                return ExitCode::SUCCESS;
            }
            _ => file = Some(a),
        }
    }
    let Some(file) = file else {
        eprintln!("usage: extract [--date YYYY-MM-DD] [--publisher CODE] [--format json|table] [--explain] FILE");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read {file}: {e}");
            return ExitCode::from(2);
        }
    };
    if do_explain {
        return match explain(&bytes, &opts) {
            Ok(s) => {
                // a closed pipe (`| head`) is not an error worth a panic
                let _ = std::io::stdout().lock().write_all(s.as_bytes());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{file}: {e}");
                ExitCode::from(1)
            }
        };
    }
    match extract(&bytes, &opts) {
        Ok(x) => {
            let out = if format == "table" {
                x.to_table()
            } else {
                serde_json::to_string_pretty(&x).expect("serialise") + "\n"
            };
            let _ = std::io::stdout().lock().write_all(out.as_bytes());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{file}: {e}");
            ExitCode::from(1)
        }
    }
}
