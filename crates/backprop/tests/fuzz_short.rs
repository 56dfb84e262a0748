//! A short run of the fuzz targets in `fuzz/` (the long runs are `scripts/fuzz`): every
//! parser gets arbitrary bytes and mutated copies of its committed seeds, and must answer
//! each with a result, never a panic. Every input a long run found crashing is kept under
//! `fuzz/regressions/TARGET/` and replayed here.

#[path = "../../../fuzz/src/lib.rs"]
mod drive;

mod common;

use std::path::{Path, PathBuf};

use proptest::collection::vec;
use proptest::prelude::*;

/// The committed seeds and regressions of one target.
fn files(group: &str, target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz")
        .join(group)
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<(PathBuf, Vec<u8>)> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    files.sort();
    files
}

fn seeds(target: &str) -> Vec<Vec<u8>> {
    let seeds: Vec<Vec<u8>> = files("seeds", target).into_iter().map(|f| f.1).collect();
    assert!(!seeds.is_empty(), "fuzz/seeds/{target} holds no seeds");
    seeds
}

/// Tokens that push parsers to their edges: numbers out of range, quotes, separators,
/// brackets and bytes that are not text.
const TOKENS: &[&[u8]] = &[
    b"-1",
    b"0",
    b"1e400",
    b"-0.0",
    b"NaN",
    b"inf",
    b"18446744073709551616",
    b"4294967296",
    b"\"",
    b",",
    b"\n",
    b"\r\n",
    b"{",
    b"}",
    b"[",
    b"]",
    b"null",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\x00",
];

/// One edit of a seed: what to do, where, and with which byte or token.
type Edit = (u8, usize, u8);

/// `seed` after `edits`: bytes overwritten, inserted, deleted, tokens spliced in and
/// the tail cut, as a mutation-based fuzzer does.
fn mutate(seed: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for &(kind, at, value) in edits {
        let at = at % (bytes.len() + 1);
        match kind % 5 {
            0 if at < bytes.len() => bytes[at] = value,
            1 => bytes.insert(at, value),
            2 if at < bytes.len() => {
                bytes.remove(at);
            }
            3 => {
                let token = TOKENS[usize::from(value) % TOKENS.len()];
                bytes.splice(at..at, token.iter().copied());
            }
            4 => bytes.truncate(at),
            _ => {}
        }
    }
    bytes
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    vec((any::<u8>(), any::<usize>(), any::<u8>()), 1..8)
}

fn arbitrary() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..512)
}

/// A scratch directory for the IDX target's two files.
fn idx_dir(test: &str) -> PathBuf {
    common::scratch("fuzz_short", test)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn spec_json_answers_arbitrary_bytes(data in arbitrary()) {
        drive::spec(&data, false);
    }

    #[test]
    fn spec_toml_answers_arbitrary_bytes(data in arbitrary()) {
        drive::spec(&data, true);
    }

    #[test]
    fn csv_answers_arbitrary_bytes(data in arbitrary()) {
        drive::csv(&data);
    }

    #[test]
    fn model_answers_arbitrary_bytes(data in arbitrary()) {
        drive::model(&data);
    }

    #[test]
    fn serve_answers_arbitrary_bytes(data in arbitrary()) {
        let status = drive::serve(&data, &drive::serve_limits());
        prop_assert!((200..600).contains(&status), "status {status}");
    }

    #[test]
    fn spec_json_answers_mutated_seeds(seed in any::<prop::sample::Index>(), edits in edits()) {
        let seeds = seeds("spec_json");
        drive::spec(&mutate(&seeds[seed.index(seeds.len())], &edits), false);
    }

    #[test]
    fn spec_toml_answers_mutated_seeds(seed in any::<prop::sample::Index>(), edits in edits()) {
        let seeds = seeds("spec_toml");
        drive::spec(&mutate(&seeds[seed.index(seeds.len())], &edits), true);
    }

    #[test]
    fn csv_answers_mutated_seeds(seed in any::<prop::sample::Index>(), edits in edits()) {
        let seeds = seeds("csv");
        drive::csv(&mutate(&seeds[seed.index(seeds.len())], &edits));
    }

    #[test]
    fn model_answers_mutated_seeds(seed in any::<prop::sample::Index>(), edits in edits()) {
        let seeds = seeds("model");
        drive::model(&mutate(&seeds[seed.index(seeds.len())], &edits));
    }

    #[test]
    fn serve_answers_mutated_seeds(seed in any::<prop::sample::Index>(), edits in edits()) {
        let seeds = seeds("serve");
        let status = drive::serve(&mutate(&seeds[seed.index(seeds.len())], &edits), &drive::serve_limits());
        prop_assert!((200..600).contains(&status), "status {status}");
    }
}

proptest! {
    // Each IDX case writes two files, so fewer cases.
    #![proptest_config(ProptestConfig::with_cases(100))]

    #[test]
    fn idx_answers_arbitrary_bytes(data in arbitrary()) {
        drive::idx(&data, &idx_dir("idx_arbitrary"));
    }

    #[test]
    fn idx_answers_mutated_seeds(seed in any::<prop::sample::Index>(), edits in edits()) {
        let seeds = seeds("idx");
        drive::idx(&mutate(&seeds[seed.index(seeds.len())], &edits), &idx_dir("idx_mutated"));
    }
}

/// Every committed seed is a valid input: the fuzzers start from inputs that go all the
/// way through, not from ones the parser refuses at the first byte.
#[test]
fn every_seed_is_accepted() {
    let dir = idx_dir("idx_seeds");
    for (path, bytes) in ["spec_json", "spec_toml", "csv", "idx", "model", "serve"]
        .iter()
        .flat_map(|t| files("seeds", t))
    {
        let target = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        let accepted = match target {
            "spec_json" => drive::spec(&bytes, false),
            "spec_toml" => drive::spec(&bytes, true),
            "csv" => drive::csv(&bytes),
            "idx" => drive::idx(&bytes, &dir),
            "model" => drive::model(&bytes),
            _ => {
                drive::serve(&bytes, &drive::serve_limits()) < 400 || path.ends_with("wrong-method")
            }
        };
        assert!(accepted, "{} is refused", path.display());
    }
}
