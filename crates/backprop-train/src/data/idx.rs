//! The IDX format of MNIST and Fashion-MNIST: 8-bit images and labels, gzipped or not.
//!
//! An IDX file is a 4-byte magic number (`00 00 08 nd`: unsigned bytes, `nd` dimensions),
//! `nd` big-endian 32-bit sizes, then the bytes. Compression is recognised by the gzip
//! magic bytes, not by the file name.

use std::path::{Path, PathBuf};

use super::{bad, gzip, Dataset, Targets};
use crate::settings::{self, mention};
use backprop::error::Result;
use backprop::matrix::Matrix;

/// Where Debian's package `dataset-fashion-mnist` installs Fashion-MNIST.
pub const FASHION_MNIST_DIR: &str = "/usr/share/datasets/fashion-mnist";

/// Fashion-MNIST's class names, in label order.
pub const FASHION_MNIST_CLASSES: [&str; 10] = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
];

/// The most pixels one image may have (1024×1024): far above any IDX dataset, far
/// below what naming every pixel would make too much.
pub const MAX_PIXELS: u64 = 1 << 20;

/// Magic number of an image file: unsigned bytes, 3 dimensions (count, rows, columns).
const IMAGES_MAGIC: u32 = 0x0000_0803;
/// Magic number of a label file: unsigned bytes, 1 dimension (count).
const LABELS_MAGIC: u32 = 0x0000_0801;

/// The four files of an MNIST-style directory, in the order train images, train labels,
/// test images, test labels. Each may also end in `.gz`.
const MNIST_FILES: [&str; 4] = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
];

/// Loads images and their labels from two IDX files.
///
/// Pixels are scaled from 0..=255 to [0, 1] and named `pixel_{row}_{column}`. Classes are
/// named `"0"`, `"1"`, … up to the largest label, or by `class_names`, in which case a
/// label must be below `class_names.len()`.
pub fn load_idx(images: &Path, labels: &Path, class_names: Option<&[&str]>) -> Result<Dataset> {
    let image_file = IdxFile::read(images, IMAGES_MAGIC)?;
    let label_file = IdxFile::read(labels, LABELS_MAGIC)?;
    idx_dataset(&image_file, images, &label_file, labels, class_names)
}

/// [`load_idx`] on the files' bytes (plain or gzipped); the paths name them in messages.
pub fn parse_idx(
    image_bytes: Vec<u8>,
    images: &Path,
    label_bytes: Vec<u8>,
    labels: &Path,
    class_names: Option<&[&str]>,
) -> Result<Dataset> {
    let image_file = IdxFile::parse(image_bytes, images, IMAGES_MAGIC)?;
    let label_file = IdxFile::parse(label_bytes, labels, LABELS_MAGIC)?;
    idx_dataset(&image_file, images, &label_file, labels, class_names)
}

/// The dataset of a checked image file and label file.
fn idx_dataset(
    image_file: &IdxFile,
    images: &Path,
    label_file: &IdxFile,
    labels: &Path,
    class_names: Option<&[&str]>,
) -> Result<Dataset> {
    // The magic number fixes three sizes, so the fallback never happens.
    let &[count, height, width] = image_file.dims.as_slice() else {
        return Err(bad(images, "not an IDX image file: expected three sizes"));
    };
    // Every pixel gets a feature name, even when the file holds no image: the size of
    // one image is bounded before any name is made.
    if height == 0 || width == 0 || (height as u64).saturating_mul(width as u64) > MAX_PIXELS {
        let message = format!(
            "declares images of {height}×{width} pixels; expected at least 1×1 and at most {MAX_PIXELS} pixels an image"
        );
        return Err(bad(images, message));
    }
    let label_bytes = label_file.data();
    if label_bytes.len() != count {
        let message = format!(
            "has {} labels but {} has {count} images; expected one label per image",
            label_bytes.len(),
            images.display()
        );
        return Err(bad(labels, message));
    }
    let max_label = label_bytes.iter().copied().max().map_or(0, usize::from);
    let names: Vec<String> = match class_names {
        Some(names) => {
            if let Some((i, &l)) = label_bytes
                .iter()
                .enumerate()
                .find(|(_, &l)| usize::from(l) >= names.len())
            {
                let message = format!(
                    "label {l} of item {i} is out of range; expected labels below {}, one per class name",
                    names.len()
                );
                return Err(bad(labels, message));
            }
            names.iter().map(|n| n.to_string()).collect()
        }
        None if label_bytes.is_empty() => Vec::new(),
        None => (0..=max_label).map(|l| l.to_string()).collect(),
    };
    let pixels = image_file.data().iter().map(|&p| f32::from(p) / 255.0);
    let features = Matrix::from_vec(count, height * width, pixels.collect())
        .unwrap_or_else(|| Matrix::zeros(count, height * width));
    let feature_names = (0..height)
        .flat_map(|r| (0..width).map(move |c| format!("pixel_{r}_{c}")))
        .collect();
    Ok(Dataset {
        source: images.display().to_string(),
        features,
        feature_names,
        targets: Targets::Classes {
            labels: label_bytes.iter().map(|&l| usize::from(l)).collect(),
            names,
        },
    })
}

/// Loads `(train, test)` from a directory holding MNIST's four files (`train-images-idx3-ubyte`,
/// `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`), each with
/// or without `.gz`. Without `class_names`, both parts get the same classes, `"0"` up to
/// the largest label of either.
pub fn load_mnist_dir(dir: &Path, class_names: Option<&[&str]>) -> Result<(Dataset, Dataset)> {
    let [train_images, train_labels, test_images, test_labels] =
        locate(dir).map_err(|missing| bad(dir, missing))?;
    let mut train = load_idx(&train_images, &train_labels, class_names)?;
    let mut test = load_idx(&test_images, &test_labels, class_names)?;
    if class_names.is_none() {
        // A part that lacks the highest digits must still have the same outputs.
        let classes = train.outputs().max(test.outputs());
        for part in [&mut train, &mut test] {
            if let Targets::Classes { names, .. } = &mut part.targets {
                names.extend((names.len()..classes).map(|l| l.to_string()));
            }
        }
    }
    Ok((train, test))
}

/// Loads Fashion-MNIST `(train, test)` from `dir` (default [`FASHION_MNIST_DIR`]), with
/// the classes named as in [`FASHION_MNIST_CLASSES`].
pub fn fashion_mnist(dir: Option<&Path>) -> Result<(Dataset, Dataset)> {
    let dir = dir.unwrap_or(Path::new(FASHION_MNIST_DIR));
    if let Err(missing) = locate(dir) {
        let message = format!(
            "Fashion-MNIST not found: {missing}; install Debian's package dataset-fashion-mnist (it puts the files in {FASHION_MNIST_DIR}) or name a directory holding them with {}",
            mention(settings::DATA_DIR)
        );
        return Err(bad(dir, message));
    }
    load_mnist_dir(dir, Some(&FASHION_MNIST_CLASSES))
}

/// The paths of the four MNIST files in `dir`, or a description of what is missing.
fn locate(dir: &Path) -> std::result::Result<[PathBuf; 4], String> {
    if !dir.is_dir() {
        return Err(format!(
            "the directory does not exist; expected one holding {}",
            and_list(&MNIST_FILES.map(|f| format!("{f}[.gz]")))
        ));
    }
    let found = MNIST_FILES.map(|stem| {
        [stem.to_string(), format!("{stem}.gz")]
            .into_iter()
            .map(|name| dir.join(name))
            .find(|p| p.is_file())
    });
    let missing: Vec<String> = MNIST_FILES
        .iter()
        .zip(&found)
        .filter(|(_, f)| f.is_none())
        .map(|(stem, _)| format!("{stem}[.gz]"))
        .collect();
    match found {
        [Some(a), Some(b), Some(c), Some(d)] => Ok([a, b, c, d]),
        _ => Err(format!(
            "missing {} (looked for each name with and without .gz)",
            and_list(&missing)
        )),
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A checked IDX file: its sizes and the bytes after the header.
struct IdxFile {
    dims: Vec<usize>,
    bytes: Vec<u8>,
    header: usize,
}

impl IdxFile {
    /// Reads `path` and checks its magic number against `magic` and its length against
    /// the sizes in its header.
    fn read(path: &Path, magic: u32) -> Result<Self> {
        let raw = gzip::read_raw(path)?;
        Self::parse(raw, path, magic)
    }

    /// [`IdxFile::read`] on the file's bytes; `path` names it in messages.
    fn parse(raw: Vec<u8>, path: &Path, magic: u32) -> Result<Self> {
        let unpacked = if gzip::is_gzip(&raw) {
            " (after decompression)"
        } else {
            ""
        };
        let bytes = gzip::unpack(raw, path)?;
        let kind = if magic == IMAGES_MAGIC {
            "image"
        } else {
            "label"
        };
        let Some(found) = bytes.get(..4) else {
            let message = format!(
                "not an IDX {kind} file: it has {} bytes{unpacked}, fewer than the 4 of a magic number",
                bytes.len()
            );
            return Err(bad(path, message));
        };
        let found = u32::from_be_bytes([found[0], found[1], found[2], found[3]]);
        if found != magic {
            let hint = match found {
                IMAGES_MAGIC => "; it looks like an IDX image file",
                LABELS_MAGIC => "; it looks like an IDX label file",
                _ => "",
            };
            let message = format!(
                "not an IDX {kind} file: magic number 0x{found:08x}, expected 0x{magic:08x}{hint}"
            );
            return Err(bad(path, message));
        }
        let ndims = (magic & 0xff) as usize;
        let header = 4 + 4 * ndims;
        let actual = bytes.len();
        let Some(sizes) = bytes.get(4..header) else {
            let message = format!(
                "is truncated: expected a {header}-byte header but found {actual} bytes{unpacked}"
            );
            return Err(bad(path, message));
        };
        let dims: Vec<usize> = sizes
            .chunks_exact(4)
            .map(|d| u32::from_be_bytes([d[0], d[1], d[2], d[3]]) as usize)
            .collect();
        // u128 cannot overflow: at most three 32-bit sizes are multiplied.
        let expected = dims.iter().map(|&d| d as u128).product::<u128>() + header as u128;
        if actual as u128 != expected {
            let what = if (actual as u128) < expected {
                "is truncated"
            } else {
                "has extra bytes at the end"
            };
            let sizes: Vec<String> = dims.iter().map(usize::to_string).collect();
            let message = format!(
                "{what}: expected a {header}-byte header and {} bytes, {expected} bytes in all, but found {actual}{unpacked}",
                sizes.join("×")
            );
            return Err(bad(path, message));
        }
        Ok(Self {
            dims,
            bytes,
            header,
        })
    }

    /// The bytes after the header.
    fn data(&self) -> &[u8] {
        &self.bytes[self.header..]
    }
}
