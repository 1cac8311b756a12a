//! PDF readouts: the text of each page, for the extractor.
//!
//! A PDF's readout text is the text lopdf finds on its pages, page after
//! page, with a blank line (a paragraph break) between two pages. That text
//! is the readout the extractor reads, so spans are UTF-8 byte offsets into
//! it, not into the PDF file; [`PdfText::page_of`] maps an offset back to
//! its page. Encrypted PDFs, PDFs without text (scans) and files lopdf
//! cannot read are refused, each with its own [`PdfError`].
//!
//! The one place PDFs are read: `accord extract` calls it on a file, the
//! server's `IngestReadout` on the bytes a client sends.

use std::panic::{catch_unwind, AssertUnwindSafe};

/// A PDF file above this is not read.
pub const MAX_PDF_BYTES: usize = 32 << 20;
/// Decompressed content of one page above this is refused (a zip bomb).
const MAX_PAGE_CONTENT_BYTES: usize = 16 << 20;

/// Why a PDF gives no readout text. Every message says what to do.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PdfError {
    #[error("PDF is {0} bytes; the limit is {MAX_PDF_BYTES}")]
    TooLarge(usize),
    #[error("not a PDF: no %PDF- header")]
    NotPdf,
    #[error("encrypted PDF: Accord reads only unencrypted PDFs; save a copy without a password or restrictions")]
    Encrypted,
    #[error("PDF has no text on its {0} page(s) (scanned images?): run OCR first")]
    NoText(usize),
    #[error("malformed PDF: {0}")]
    Malformed(String),
}

/// The readout text of a PDF and where each page begins in it.
#[derive(Debug, PartialEq, Eq)]
pub struct PdfText {
    pub text: String,
    /// Byte offset in `text` at which each page begins, page 1 first.
    pub page_starts: Vec<usize>,
}

impl PdfText {
    /// The page (from 1) that the text at byte `offset` is on.
    pub fn page_of(&self, offset: usize) -> u32 {
        page_of(&self.page_starts, offset)
    }
}

/// The page (from 1) that byte `offset` is on, given where pages start.
pub fn page_of(page_starts: &[usize], offset: usize) -> u32 {
    let page = page_starts.partition_point(|&s| s <= offset).max(1);
    u32::try_from(page).unwrap_or(u32::MAX)
}

/// `.pdf` by name, or a `%PDF-` header.
pub fn is_pdf(name: &std::path::Path, bytes: &[u8]) -> bool {
    name.extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("pdf"))
        || bytes.starts_with(b"%PDF-")
}

/// The text of every page, in page order.
pub fn text(bytes: &[u8]) -> Result<PdfText, PdfError> {
    if bytes.len() > MAX_PDF_BYTES {
        return Err(PdfError::TooLarge(bytes.len()));
    }
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(PdfError::NotPdf);
    }
    // lopdf is not ours: whatever it does with hostile bytes, a panic in it
    // is a malformed PDF here, never a crashed request.
    let loaded = catch_unwind(|| lopdf::Document::load_mem(bytes));
    let document = match loaded {
        Ok(Ok(document)) => document,
        Ok(Err(_)) | Err(_) if contains(bytes, b"/Encrypt") => return Err(PdfError::Encrypted),
        Ok(Err(e)) => return Err(PdfError::Malformed(e.to_string())),
        Err(_) => return Err(PdfError::Malformed("lopdf could not parse it".into())),
    };
    if document.was_encrypted() || document.is_encrypted() {
        return Err(PdfError::Encrypted);
    }
    let pages = document.get_pages();
    if pages.is_empty() {
        return Err(PdfError::Malformed("no pages".into()));
    }
    let mut out = PdfText {
        text: String::new(),
        page_starts: Vec::with_capacity(pages.len()),
    };
    for &number in pages.keys() {
        let page = catch_unwind(AssertUnwindSafe(|| {
            document.extract_text_with_limit(&[number], MAX_PAGE_CONTENT_BYTES)
        }))
        .map_err(|_| PdfError::Malformed(format!("page {number}: unreadable content")))?
        .map_err(|e| PdfError::Malformed(format!("page {number}: {e}")))?;
        if !out.text.is_empty() {
            out.text.push_str("\n\n");
        }
        out.page_starts.push(out.text.len());
        out.text.push_str(page.trim_end());
    }
    if out.text.trim().is_empty() {
        return Err(PdfError::NoText(pages.len()));
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
        let check = |bytes: &[u8], expected: &str| {
            let err = text(bytes).unwrap_err().to_string();
            assert!(err.starts_with(expected), "{err}");
        };
        check(&make::pdf(&[&[], &[]]), "PDF has no text on its 2 page(s)");
        check(&make::encrypted(&[&["Secret."]]), "encrypted PDF");
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
