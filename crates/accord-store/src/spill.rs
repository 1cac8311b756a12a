//! An external sort for bulk loads: records `(key, seq, payload)` come in
//! any order and go out ordered by `(key, seq)`, with memory bounded by a
//! byte budget. Past the budget, what is buffered is sorted and spilled as
//! a run to an anonymous temporary file (unlinked at creation, so nothing
//! is left behind, not even after a crash) in a given directory or the
//! system's; the output is a k-way merge of the runs and what is still
//! buffered.
//!
//! Small and our own: the crates that do this sort a whole iterator with a
//! budget counted in items, while a bulk load pushes batches and counts
//! bytes (events range from 200 bytes to tens of kilobytes).

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};
use std::path::PathBuf;

/// Bytes buffered per run while merging (one reader per run).
const READ_BUFFER: usize = 256 << 10;
/// What one buffered record costs beside its bytes (vectors, ordering).
const RECORD_OVERHEAD: usize = 64;

/// One record: ordered by `key`, then `seq` (e.g. a log position).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Record {
    pub key: Vec<u8>,
    pub seq: u64,
    pub payload: Vec<u8>,
}

impl Record {
    fn order(&self, other: &Record) -> Ordering {
        (&self.key, self.seq).cmp(&(&other.key, other.seq))
    }

    fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        out.write_all(&(self.key.len() as u32).to_le_bytes())?;
        out.write_all(&(self.payload.len() as u32).to_le_bytes())?;
        out.write_all(&self.seq.to_le_bytes())?;
        out.write_all(&self.key)?;
        out.write_all(&self.payload)
    }

    /// The next record of a run, `None` at its end.
    fn read_from(input: &mut impl Read) -> io::Result<Option<Record>> {
        let mut head = [0u8; 16];
        let mut filled = 0;
        while filled < head.len() {
            match input.read(&mut head[filled..]) {
                Ok(0) if filled == 0 => return Ok(None),
                Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        let len = |at: usize| u32::from_le_bytes(head[at..at + 4].try_into().expect("4")) as usize;
        let mut key = vec![0; len(0)];
        let mut payload = vec![0; len(4)];
        let seq = u64::from_le_bytes(head[8..].try_into().expect("8 bytes"));
        input.read_exact(&mut key)?;
        input.read_exact(&mut payload)?;
        Ok(Some(Record { key, seq, payload }))
    }
}

/// Records being sorted; see the module doc.
pub(crate) struct Sorter {
    buffer: Vec<Record>,
    buffered: usize,
    budget: usize,
    runs: Vec<File>,
    /// Where runs go; `None`: the system's temporary directory.
    dir: Option<PathBuf>,
}

impl Sorter {
    /// A sorter spilling a run into `dir` whenever its buffer passes
    /// `budget` bytes.
    pub fn new(budget: usize, dir: Option<PathBuf>) -> Sorter {
        Sorter {
            buffer: Vec::new(),
            buffered: 0,
            budget: budget.max(1),
            runs: Vec::new(),
            dir,
        }
    }

    pub fn push(&mut self, record: Record) -> io::Result<()> {
        self.buffered += record.key.len() + record.payload.len() + RECORD_OVERHEAD;
        self.buffer.push(record);
        if self.buffered >= self.budget {
            self.spill()?;
        }
        Ok(())
    }

    /// Runs spilled to disk so far.
    pub fn runs(&self) -> usize {
        self.runs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.buffer.is_empty() && self.runs.is_empty()
    }

    fn spill(&mut self) -> io::Result<()> {
        self.buffer.sort_unstable_by(Record::order);
        let file = match &self.dir {
            Some(dir) => tempfile::tempfile_in(dir)?,
            None => tempfile::tempfile()?,
        };
        let mut out = BufWriter::with_capacity(READ_BUFFER, file);
        for record in self.buffer.drain(..) {
            record.write_to(&mut out)?;
        }
        let mut file = out.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        self.runs.push(file);
        self.buffered = 0;
        Ok(())
    }

    /// Every record pushed, in `(key, seq)` order.
    pub fn into_sorted(mut self) -> io::Result<Merge> {
        self.buffer.sort_unstable_by(Record::order);
        let mut sources: Vec<Source> = self
            .runs
            .into_iter()
            .map(|f| Source::Run(BufReader::with_capacity(READ_BUFFER, f)))
            .collect();
        sources.push(Source::Memory(self.buffer.into_iter()));
        let mut heads = BinaryHeap::with_capacity(sources.len());
        for (source, input) in sources.iter_mut().enumerate() {
            if let Some(record) = input.next()? {
                heads.push(Head { record, source });
            }
        }
        Ok(Merge { sources, heads })
    }
}

enum Source {
    Run(BufReader<File>),
    Memory(std::vec::IntoIter<Record>),
}

impl Source {
    fn next(&mut self) -> io::Result<Option<Record>> {
        match self {
            Source::Run(input) => Record::read_from(input),
            Source::Memory(records) => Ok(records.next()),
        }
    }
}

/// The smallest record of one source, ordered for a min-heap.
struct Head {
    record: Record,
    source: usize,
}

impl Ord for Head {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .record
            .order(&self.record)
            .then(other.source.cmp(&self.source))
    }
}

impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Head {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Head {}

/// The k-way merge of a [`Sorter`]'s runs: its records in order.
pub(crate) struct Merge {
    sources: Vec<Source>,
    heads: BinaryHeap<Head>,
}

impl Iterator for Merge {
    type Item = io::Result<Record>;

    fn next(&mut self) -> Option<io::Result<Record>> {
        let Head { record, source } = self.heads.pop()?;
        match self.sources[source].next() {
            Ok(Some(next)) => self.heads.push(Head {
                record: next,
                source,
            }),
            Ok(None) => {}
            Err(e) => return Some(Err(e)),
        }
        Some(Ok(record))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(key: &str, seq: u64, payload: &str) -> Record {
        Record {
            key: key.as_bytes().to_vec(),
            seq,
            payload: payload.as_bytes().to_vec(),
        }
    }

    fn check(budget: usize, input: &[(&str, u64, &str)], spilled: usize) {
        let dir = tempfile::tempdir().unwrap();
        let mut sorter = Sorter::new(budget, Some(dir.path().to_owned()));
        for (key, seq, payload) in input {
            sorter.push(record(key, *seq, payload)).unwrap();
        }
        assert_eq!(sorter.runs(), spilled, "budget {budget}");
        let out: Vec<Record> = sorter.into_sorted().unwrap().map(Result::unwrap).collect();
        let mut expected: Vec<Record> = input.iter().map(|(k, s, p)| record(k, *s, p)).collect();
        expected.sort_by(Record::order);
        assert_eq!(out, expected, "budget {budget}");
        let left = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(left, 0, "runs leave no file behind");
    }

    #[test]
    fn records_come_out_by_key_then_seq_whatever_was_spilled() {
        let input = [
            ("c:b", 7, "b7"),
            ("c:a", 9, ""),
            ("d:x", 1, "doc"),
            ("c:a", 3, "a3"),
            ("c:b", 2, &"long payload ".repeat(100)),
            ("c:ab", 1, "ab1"),
            ("c:a", 5, "a5"),
        ];
        check(usize::MAX, &input, 0); // all in memory
        check(1, &input, input.len()); // a run per record, nothing buffered
        check(3 * RECORD_OVERHEAD + 20, &input, 2); // runs and a buffered tail
        check(1, &[], 0);
    }

    #[test]
    fn a_truncated_run_is_an_error_not_a_short_output() {
        let mut run = Vec::new();
        record("c:a", 1, "payload").write_to(&mut run).unwrap();
        for cut in [1, 15, 17, run.len() - 1] {
            let err = Record::read_from(&mut &run[..cut]).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof, "cut at {cut}");
        }
        assert_eq!(Record::read_from(&mut &run[..0]).unwrap(), None);
    }
}
