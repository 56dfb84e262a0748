//! A short run of the fuzz targets in `fuzz/` (the long runs are `scripts/fuzz`): every
//! parser gets arbitrary bytes and mutated copies of its committed seeds, and must answer
//! each with a result, never a panic. Every input a long run found crashing is kept under
//! `fuzz/regressions/TARGET/` and replayed here.

#[path = "../../../fuzz/src/lib.rs"]
mod drive;

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

/// One committed seed.
fn seed_file(target: &str, name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/seeds")
        .join(target)
        .join(name);
    std::fs::read(path).unwrap()
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

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

    #[test]
    fn answers_parser_answers_arbitrary_bytes(data in arbitrary()) {
        drive::answers(&data);
    }

    #[test]
    fn answers_parser_answers_mutated_seeds(seed in any::<prop::sample::Index>(), edits in edits()) {
        let seeds = seeds("answers");
        drive::answers(&mutate(&seeds[seed.index(seeds.len())], &edits));
    }

    #[test]
    fn idx_answers_arbitrary_bytes(data in arbitrary()) {
        drive::idx(&data);
    }

    #[test]
    fn idx_answers_mutated_seeds(seed in any::<prop::sample::Index>(), edits in edits()) {
        let seeds = seeds("idx");
        drive::idx(&mutate(&seeds[seed.index(seeds.len())], &edits));
    }
}

const TARGETS: [&str; 7] = [
    "spec_json",
    "spec_toml",
    "csv",
    "idx",
    "model",
    "serve",
    "answers",
];

/// Runs one input through `target`'s driver; whether it went all the way through.
fn run(target: &str, bytes: &[u8]) -> bool {
    match target {
        "spec_json" => drive::spec(bytes, false),
        "spec_toml" => drive::spec(bytes, true),
        "csv" => drive::csv(bytes),
        "idx" => drive::idx(bytes),
        "model" => drive::model(bytes),
        "answers" => drive::answers(bytes),
        "serve" => drive::serve(bytes, &drive::serve_limits()) < 400,
        _ => panic!("no target {target}"),
    }
}

/// Every committed seed is a valid input: the fuzzers start from inputs that go all the
/// way through, not from ones the parser refuses at the first byte.
#[test]
fn every_seed_is_accepted() {
    for target in TARGETS {
        for (path, bytes) in files("seeds", target) {
            let refusal_on_purpose = path.ends_with("wrong-method");
            assert!(
                run(target, &bytes) || refusal_on_purpose,
                "{} is refused",
                path.display()
            );
        }
    }
}

/// Every input a long run found crashing, once fixed, is answered (returning at all is
/// the check: before the fix these panicked, aborted or hung).
#[test]
fn every_fixed_crash_is_answered() {
    for target in TARGETS {
        for (_, bytes) in files("regressions", target) {
            run(target, &bytes);
        }
    }
}

/// The bytes-level entry points the targets use read what the file loaders read, and
/// name the file the same way in their messages.
#[test]
fn bytes_entry_points_agree_with_the_file_loaders() {
    use backprop_train::data::csv::parse_csv;
    use backprop_train::data::idx::parse_idx;
    use backprop_train::data::{load_csv, load_idx, CsvOptions};

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz_short");
    std::fs::create_dir_all(&dir).unwrap();
    let (images, labels) = (dir.join("images"), dir.join("labels"));
    let seed = seed_file("idx", "two-images"); // 2 images of 3×3, labels 3 and 1
    let (image_bytes, label_bytes) = drive::idx_parts(&seed);
    std::fs::write(&images, image_bytes).unwrap();
    std::fs::write(&labels, label_bytes).unwrap();
    let from_files = load_idx(&images, &labels, None).unwrap();
    let from_bytes = parse_idx(
        image_bytes.to_vec(),
        &images,
        label_bytes.to_vec(),
        &labels,
        None,
    )
    .unwrap();
    assert_eq!(from_bytes, from_files);
    assert_eq!((from_bytes.len(), from_bytes.width()), (2, 9));
    let cut = parse_idx(
        image_bytes[..20].to_vec(),
        &images,
        label_bytes.to_vec(),
        &labels,
        None,
    )
    .unwrap_err();
    assert_eq!(
        cut.to_string(),
        format!(
            "{}: is truncated: expected a 16-byte header and 2×3×3 bytes, 34 bytes in all, but found 20",
            images.display()
        )
    );

    let csv = dir.join("header-labels.csv");
    let text = seed_file("csv", "header-labels.csv");
    std::fs::write(&csv, &text).unwrap();
    let options = CsvOptions::default();
    assert_eq!(
        parse_csv(text, &csv, &options).unwrap(),
        load_csv(&csv, &options).unwrap()
    );
}
