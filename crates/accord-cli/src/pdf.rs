//! PDF readouts: the text of each page, for the extractor.
//!
//! A PDF's readout text is the text lopdf finds on its pages, page after
//! page, with a blank line (a paragraph break) between two pages. That text
//! is what `accord extract` reads and what `accord ingest` sends as the
//! readout, so spans are UTF-8 byte offsets into it, not into the PDF file.
//! Encrypted PDFs, PDFs without text (scans) and files lopdf cannot read
//! are refused, each with its own error.

use anyhow::{anyhow, bail};

/// A PDF file above this is not read.
pub const MAX_PDF_BYTES: usize = 32 << 20;
/// Decompressed content of one page above this is refused (a zip bomb).
const MAX_PAGE_CONTENT_BYTES: usize = 16 << 20;

/// The readout text of a PDF and where each page begins in it.
#[derive(Debug, PartialEq, Eq)]
pub struct PdfText {
    pub text: String,
    /// Byte offset in `text` at which each page begins, page 1 first.
    pub page_starts: Vec<usize>,
}

impl PdfText {
    /// The page (from 1) that the text at byte `offset` is on.
    pub fn page_of(&self, offset: usize) -> usize {
        self.page_starts.partition_point(|&s| s <= offset).max(1)
    }
}

/// `.pdf` by name, or a `%PDF-` header.
pub fn is_pdf(name: &std::path::Path, bytes: &[u8]) -> bool {
    name.extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("pdf"))
        || bytes.starts_with(b"%PDF-")
}

/// The text of every page, in page order.
pub fn text(bytes: &[u8]) -> anyhow::Result<PdfText> {
    if bytes.len() > MAX_PDF_BYTES {
        bail!("PDF is {} bytes; the limit is {MAX_PDF_BYTES}", bytes.len());
    }
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        bail!("not a PDF: no %PDF- header");
    }
    let encrypted = || {
        anyhow!("encrypted PDF: Accord reads only unencrypted PDFs; save a copy without a password or restrictions")
    };
    let document = match lopdf::Document::load_mem(bytes) {
        Ok(document) => document,
        Err(_) if contains(bytes, b"/Encrypt") => return Err(encrypted()),
        Err(e) => bail!("malformed PDF: {e}"),
    };
    if document.was_encrypted() || document.is_encrypted() {
        return Err(encrypted());
    }
    let pages = document.get_pages();
    if pages.is_empty() {
        bail!("malformed PDF: no pages");
    }
    let mut out = PdfText {
        text: String::new(),
        page_starts: Vec::with_capacity(pages.len()),
    };
    for &number in pages.keys() {
        let page = document
            .extract_text_with_limit(&[number], MAX_PAGE_CONTENT_BYTES)
            .map_err(|e| anyhow!("malformed PDF: page {number}: {e}"))?;
        if !out.text.is_empty() {
            out.text.push_str("\n\n");
        }
        out.page_starts.push(out.text.len());
        out.text.push_str(page.trim_end());
    }
    if out.text.trim().is_empty() {
        bail!(
            "PDF has no text on its {} page(s) (scanned images?): run OCR first",
            pages.len()
        );
    }
    Ok(out)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use accord_testkit::pdf as make;
    use lopdf::dictionary;

    #[test]
    fn pages_are_read_in_order_and_offsets_map_to_pages() {
        let pdf = make::pdf(&[
            &["Japan and NATO met.", "They agreed to cooperate."],
            &["They will meet again next year."],
        ]);
        let read = text(&pdf).unwrap();
        assert_eq!(read.page_starts.len(), 2, "{read:?}");
        let second = read.text.find("They will meet").unwrap();
        assert_eq!(read.page_starts[1], second, "{read:?}");
        for (offset, page) in [
            (0, 1),
            (read.text.find("agreed").unwrap(), 1),
            (second, 2),
            (read.text.len(), 2),
        ] {
            assert_eq!(read.page_of(offset), page, "{offset} in {:?}", read.text);
        }
        assert!(
            read.text.contains("\n\n"),
            "pages are paragraphs: {:?}",
            read.text
        );
    }

    #[test]
    fn unreadable_pdfs_are_refused_with_a_reason() {
        let good = make::pdf(&[&["The leaders met."]]);
        let mut encrypted = make::document(&[&["Secret."]]);
        let dict = encrypted.add_object(dictionary! {
            "Filter" => "Standard", "V" => 1, "R" => 2, "P" => -4,
            "O" => lopdf::Object::string_literal(vec![1u8; 32]),
            "U" => lopdf::Object::string_literal(vec![2u8; 32]),
        });
        encrypted.trailer.set("Encrypt", dict);
        let mut encrypted_bytes = Vec::new();
        encrypted.save_to(&mut encrypted_bytes).unwrap();
        let check = |bytes: &[u8], expected: &str| {
            let err = format!("{:#}", text(bytes).unwrap_err());
            assert!(err.starts_with(expected), "{err}");
        };
        check(&make::pdf(&[&[], &[]]), "PDF has no text on its 2 page(s)");
        check(&encrypted_bytes, "encrypted PDF");
        check(&good[..good.len() / 3], "malformed PDF");
        check(b"%PDF-1.5\n garbage", "malformed PDF");
        check(b"hello", "not a PDF");
    }

    #[test]
    fn pdfs_are_told_by_name_or_header() {
        use std::path::Path;
        assert!(is_pdf(Path::new("a/READOUT.PDF"), b""));
        assert!(is_pdf(Path::new("readout"), b"%PDF-1.7"));
        assert!(!is_pdf(Path::new("readout.txt"), b"The leaders met."));
    }
}
