//! Loading IDX files (MNIST's format): small files written here, gzipped and not, and the
//! message for every kind of bad input.

use std::path::{Path, PathBuf};

use backprop_train::data::idx::{
    fashion_mnist, load_idx, load_mnist_dir, FASHION_MNIST_CLASSES, FASHION_MNIST_DIR,
};
use backprop_train::data::{Dataset, Targets};

mod common;
use common::gzip;

/// A fresh, empty directory for one test.
fn scratch(test: &str) -> PathBuf {
    common::scratch("idx-tests", test)
}

/// An IDX image file of `count` images of `rows × cols` pixels.
fn images(count: u32, rows: u32, cols: u32, pixels: &[u8]) -> Vec<u8> {
    let mut out = vec![0, 0, 8, 3];
    for d in [count, rows, cols] {
        out.extend_from_slice(&d.to_be_bytes());
    }
    out.extend_from_slice(pixels);
    out
}

/// An IDX label file.
fn labels(labels: &[u8]) -> Vec<u8> {
    let mut out = vec![0, 0, 8, 1];
    out.extend_from_slice(&(labels.len() as u32).to_be_bytes());
    out.extend_from_slice(labels);
    out
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn class_names(d: &Dataset) -> (&[usize], &[String]) {
    match &d.targets {
        Targets::Classes { labels, names } => (labels, names),
        Targets::Values { .. } => panic!("expected classes"),
    }
}

/// The error message, with the test directory replaced by `D`.
fn error(dir: &Path, loaded: backprop::Result<impl std::fmt::Debug>) -> String {
    let message = loaded.unwrap_err().to_string();
    message.replace(&dir.display().to_string(), "D")
}

#[test]
fn plain_and_gzipped_files_load_alike() {
    let dir = scratch("load");
    let pixels = [0, 255, 51, 102, 255, 0, 0, 0];
    let im = images(2, 2, 2, &pixels);
    let lb = labels(&[3, 1]);
    let plain = load_idx(&write(&dir, "im", &im), &write(&dir, "lb", &lb), None).unwrap();
    // Named like plain files, but gzipped: the bytes decide, not the name.
    let zipped = load_idx(
        &write(&dir, "im2", &gzip(&im)),
        &write(&dir, "lb2", &gzip(&lb)),
        None,
    )
    .unwrap();
    assert_eq!(plain.features, zipped.features);
    assert_eq!(plain.targets, zipped.targets);
    assert_eq!((plain.len(), plain.width()), (2, 4));
    assert_eq!(plain.features.row(0), [0.0, 1.0, 0.2, 0.4]);
    assert_eq!(
        plain.feature_names,
        ["pixel_0_0", "pixel_0_1", "pixel_1_0", "pixel_1_1"]
    );
    let (ids, names) = class_names(&plain);
    assert_eq!(ids, [3, 1]);
    assert_eq!(names, ["0", "1", "2", "3"]);
}

#[test]
fn class_names_name_the_labels() {
    let dir = scratch("names");
    let d = load_idx(
        &write(&dir, "im", &images(1, 1, 1, &[9])),
        &write(&dir, "lb", &labels(&[1])),
        Some(&["cat", "dog", "eel"]),
    )
    .unwrap();
    assert_eq!(class_names(&d).1, ["cat", "dog", "eel"]);
    assert_eq!(d.outputs(), 3);
}

#[test]
fn a_directory_with_and_without_gz_and_a_test_part_missing_classes() {
    let dir = scratch("mnist-dir");
    write(
        &dir,
        "train-images-idx3-ubyte.gz",
        &gzip(&images(3, 1, 2, &[0; 6])),
    );
    write(&dir, "train-labels-idx1-ubyte", &labels(&[0, 2, 1]));
    write(&dir, "t10k-images-idx3-ubyte", &images(1, 1, 2, &[1, 2]));
    write(&dir, "t10k-labels-idx1-ubyte.gz", &gzip(&labels(&[0])));
    let (train, test) = load_mnist_dir(&dir, None).unwrap();
    assert_eq!((train.len(), test.len()), (3, 1));
    // The test part only has label 0, yet it has the training part's three classes.
    assert_eq!(class_names(&test).1, ["0", "1", "2"]);
    assert_eq!(train.outputs(), test.outputs());
}

#[test]
fn idx_errors() {
    let dir = scratch("errors");
    let im = write(&dir, "im", &images(2, 2, 2, &[0; 8]));
    let lb = write(&dir, "lb", &labels(&[0, 1]));
    let check = |images: &Path, labels: &Path, names: Option<&[&str]>, expected: &str| {
        assert_eq!(error(&dir, load_idx(images, labels, names)), expected);
    };

    check(&lb, &lb, None, "D/lb: not an IDX image file: magic number 0x00000801, expected 0x00000803; it looks like an IDX label file");
    check(&im, &im, None, "D/im: not an IDX label file: magic number 0x00000803, expected 0x00000801; it looks like an IDX image file");
    let text = write(&dir, "text", b"hello, world");
    check(
        &text,
        &lb,
        None,
        "D/text: not an IDX image file: magic number 0x68656c6c, expected 0x00000803",
    );
    let tiny = write(&dir, "tiny", &[0, 0]);
    check(
        &tiny,
        &lb,
        None,
        "D/tiny: not an IDX image file: it has 2 bytes, fewer than the 4 of a magic number",
    );

    let short = write(&dir, "short", &images(2, 2, 2, &[0; 5]));
    check(&short, &lb, None, "D/short: is truncated: expected a 16-byte header and 2×2×2 bytes, 24 bytes in all, but found 21");
    let short_gz = write(&dir, "short.gz", &gzip(&images(2, 2, 2, &[0; 5])));
    check(&short_gz, &lb, None, "D/short.gz: is truncated: expected a 16-byte header and 2×2×2 bytes, 24 bytes in all, but found 21 (after decompression)");
    let headless = write(&dir, "headless", &images(2, 2, 2, &[])[..10]);
    check(
        &headless,
        &lb,
        None,
        "D/headless: is truncated: expected a 16-byte header but found 10 bytes",
    );
    let long = write(&dir, "long", &labels(&[0, 1, 2])[..]);
    let mut long_bytes = std::fs::read(&long).unwrap();
    long_bytes.push(7);
    std::fs::write(&long, long_bytes).unwrap();
    check(&im, &long, None, "D/long: has extra bytes at the end: expected a 8-byte header and 3 bytes, 11 bytes in all, but found 12");

    let mut cut = gzip(&images(2, 2, 2, &[0; 8]));
    cut.truncate(cut.len() - 6);
    let cut = write(&dir, "cut.gz", &cut);
    let message = error(&dir, load_idx(&cut, &lb, None));
    assert!(
        message.starts_with("D/cut.gz: starts like a gzip file but cannot be decompressed"),
        "{message}"
    );

    let three = write(&dir, "three", &labels(&[0, 1, 2]));
    check(
        &im,
        &three,
        None,
        "D/three: has 3 labels but D/im has 2 images; expected one label per image",
    );
    check(
        &im,
        &lb,
        Some(&["only"]),
        "D/lb: label 1 of item 1 is out of range; expected labels below 1, one per class name",
    );

    let missing = dir.join("absent");
    let e = load_idx(&missing, &lb, None).unwrap_err();
    assert!(matches!(e, backprop::Error::Read { .. }));
    assert_eq!(error(&dir, Err::<(), _>(e)), "cannot read D/absent");
}

#[test]
fn missing_mnist_files_are_listed() {
    let dir = scratch("missing-files");
    write(&dir, "train-images-idx3-ubyte", &images(1, 1, 1, &[0]));
    write(&dir, "train-labels-idx1-ubyte.gz", &gzip(&labels(&[0])));
    assert_eq!(
        error(&dir, load_mnist_dir(&dir, None)),
        "D: missing t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz] (looked for each name with and without .gz)"
    );
    let nowhere = dir.join("nowhere");
    assert_eq!(
        error(&dir, load_mnist_dir(&nowhere, None)),
        "D/nowhere: the directory does not exist; expected one holding train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]"
    );
}

#[test]
fn fashion_mnist_says_how_to_install_it() {
    let dir = scratch("no-fashion");
    assert_eq!(
        error(&dir, fashion_mnist(Some(&dir))),
        "D: Fashion-MNIST not found: missing train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz] (looked for each name with and without .gz); install Debian's package dataset-fashion-mnist (it puts the files in /usr/share/datasets/fashion-mnist) or name a directory holding them with `data.data_dir`"
    );
}

/// Loads the real thing from Debian's `dataset-fashion-mnist` (about a second in a
/// debug build). `scripts/test` installs the package and runs ignored tests too.
#[test]
#[ignore = "needs Debian's dataset-fashion-mnist; scripts/test installs it and runs this"]
fn debians_fashion_mnist_loads() {
    assert!(
        Path::new(FASHION_MNIST_DIR).is_dir(),
        "{FASHION_MNIST_DIR} is missing: apt-get install dataset-fashion-mnist"
    );
    let (train, test) = fashion_mnist(None).unwrap();
    assert_eq!((train.len(), train.width()), (60_000, 784));
    assert_eq!((test.len(), test.width()), (10_000, 784));
    assert_eq!(class_names(&train).1, FASHION_MNIST_CLASSES);
    let mut counts = [0; 10];
    class_names(&test).0.iter().for_each(|&l| counts[l] += 1);
    assert_eq!(counts, [1000; 10]);
    let pixels = train.features.as_slice();
    assert!(pixels.iter().all(|p| (0.0..=1.0).contains(p)));
}

/// An image size is bounded before a feature name is made for each pixel: 16 bytes
/// declaring no image of 65536×65536 pixels used to build 4·10⁹ names (found by the
/// IDX fuzz target), and 0 columns used to walk 4·10⁹ rows.
#[test]
fn image_sizes_are_bounded_before_pixels_are_named() {
    let dir = scratch("bounded");
    let lb = write(&dir, "lb", &labels(&[]));
    let huge = write(&dir, "huge", &images(0, 65536, 65536, &[]));
    assert_eq!(
        error(&dir, load_idx(&huge, &lb, None)),
        "D/huge: declares images of 65536×65536 pixels; expected at least 1×1 and at most 1048576 pixels an image"
    );
    let empty = write(&dir, "empty", &images(0, 4286578679, 0, &[]));
    assert_eq!(
        error(&dir, load_idx(&empty, &lb, None)),
        "D/empty: declares images of 4286578679×0 pixels; expected at least 1×1 and at most 1048576 pixels an image"
    );
    // The largest allowed image, 1024×1024, loads (no image of it, no label).
    let largest = write(&dir, "largest", &images(0, 1024, 1024, &[]));
    let loaded = load_idx(&largest, &lb, None).unwrap();
    assert_eq!(loaded.feature_names.len(), 1024 * 1024);
}
