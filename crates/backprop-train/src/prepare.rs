//! From a [`DataConfig`] to standardized training, validation and test sets.

use std::path::{Path, PathBuf};

use crate::config::DataConfig;
use crate::data::csv::{load_csv, CsvOptions, TargetColumn};
use crate::data::generate::{generate, GeneratorOptions, GENERATORS};
use crate::data::idx::{fashion_mnist, load_mnist_dir};
use crate::data::prep::{check_classes, split, Standardizer};
use crate::data::{builtin::builtin, builtin::BUILTIN, Dataset};
use crate::memory;
use crate::settings::{self, mention};
use backprop::error::{Error, Result};

/// The three parts of the data, standardized with the training part's statistics.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// Training samples.
    pub train: Dataset,
    /// Validation samples (may be empty).
    pub validation: Dataset,
    /// Test samples (may be empty).
    pub test: Dataset,
    /// The standardization fitted on `train`, already applied to all three.
    pub standardizer: Option<Standardizer>,
}

/// Names `prepare` accepts as `dataset`, for messages and help.
pub fn dataset_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = BUILTIN.iter().chain(GENERATORS.iter()).copied().collect();
    names.extend(["fashion-mnist", "mnist"]);
    names.sort_unstable();
    names.dedup();
    names
}

/// Loads the whole dataset a config names, before any split; for IDX datasets the
/// official (train, test) pair.
pub fn load(config: &DataConfig, seed: u64) -> Result<(Dataset, Option<Dataset>)> {
    match (&config.dataset, &config.file) {
        (Some(_), Some(file)) => Err(Error::Data {
            path: file.clone(),
            line: None,
            column: None,
            message: "give either a dataset name or a data file, not both".into(),
        }),
        (None, Some(file)) => {
            let target = config
                .target
                .iter()
                .map(|t| match t.parse::<usize>() {
                    Ok(i) => TargetColumn::Index(i),
                    Err(_) => TargetColumn::Name(t.clone()),
                })
                .collect();
            let options = CsvOptions {
                target,
                task: config.task,
                ..CsvOptions::default()
            };
            Ok((load_csv(file, &options)?, None))
        }
        (Some(name), None) => {
            let name = name.as_str();
            if name == "fashion-mnist" {
                let (train, test) = fashion_mnist(config.data_dir.as_deref())?;
                return Ok((train, Some(test)));
            }
            if name == "mnist" {
                let dir = config
                    .data_dir
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("mnist"));
                let (train, test) = load_mnist_dir(&dir, None)?;
                return Ok((train, Some(test)));
            }
            // `xor` is both a built-in (the four corners) and a generator (noisy points
            // in [-1, 1]²); asking for samples or noise picks the generator.
            if let Some(noise) = config.noise {
                if !(noise.is_finite() && noise >= 0.0) {
                    return Err(Error::Invalid {
                        path: "<training>".into(),
                        at: "noise".into(),
                        message: format!("must be a finite number ≥ 0, got {noise}"),
                    });
                }
            }
            let defaults = GeneratorOptions::default();
            let options = GeneratorOptions {
                samples: config.samples.unwrap_or(400),
                noise: config.noise.unwrap_or(defaults.noise),
                seed,
            };
            let generated = name != "xor" || config.samples.is_some() || config.noise.is_some();
            let found = if GENERATORS.contains(&name) && generated {
                let bytes =
                    (options.samples as u64).saturating_mul(memory::BYTES_PER_GENERATED_SAMPLE);
                let what = format!("generating {} samples of {name}", options.samples);
                memory::check(bytes, &what, "samples")?;
                generate(name, &options)
            } else {
                builtin(name)
            };
            found.map(|d| (d, None)).ok_or_else(|| Error::Data {
                path: name.into(),
                line: None,
                column: None,
                message: format!(
                    "unknown dataset; expected one of {}",
                    dataset_names().join(", ")
                ),
            })
        }
        (None, None) => Err(Error::Data {
            path: "<training data>".into(),
            line: None,
            column: None,
            message: format!(
                "no data: name a CSV file ({}) or a dataset ({})",
                mention(settings::FILE),
                mention(settings::DATASET)
            ),
        }),
    }
}

/// Refuses settings that the data source would ignore: target columns and a task for
/// a named dataset, samples and noise for one that is not generated.
pub fn check_source(config: &DataConfig) -> Result<()> {
    let Some(name) = &config.dataset else {
        return Ok(());
    };
    let invalid = |at: &str, message: String| Error::Invalid {
        path: "<training>".into(),
        at: at.into(),
        message,
    };
    if !config.target.is_empty() {
        return Err(invalid(
            "target",
            format!(
                "chooses columns of a CSV file ({}); the dataset {name} has its targets built in",
                mention(settings::FILE)
            ),
        ));
    }
    if config.task.is_some() {
        return Err(invalid(
            "task",
            format!(
                "applies to CSV files ({}); the dataset {name} is a classification task",
                mention(settings::FILE)
            ),
        ));
    }
    if (config.samples.is_some() || config.noise.is_some()) && !GENERATORS.contains(&name.as_str())
    {
        return Err(invalid(
            "samples",
            format!(
                "{} and {} apply to the generators {}, not to {name}",
                mention(settings::SAMPLES),
                mention(settings::NOISE),
                GENERATORS.join(", ")
            ),
        ));
    }
    Ok(())
}

/// Checks the source ([`check_source`]), then loads, splits (seeded, stratified for
/// classes) and standardizes.
pub fn prepare(config: &DataConfig, seed: u64) -> Result<Prepared> {
    let mut parts = split_parts(config, seed)?;
    if config.standardize {
        parts.standardize();
    }
    Ok(parts)
}

/// Like [`prepare`] without standardizing: the samples as they were read.
pub fn split_parts(config: &DataConfig, seed: u64) -> Result<Prepared> {
    check_source(config)?;
    let (all, official_test) = load(config, seed)?;
    let (train, validation, test) = match official_test {
        Some(test) => {
            let parts = split(&all, config.validation, 0.0, seed)?;
            (
                all.subset(&parts.train),
                all.subset(&parts.validation),
                test,
            )
        }
        None => {
            let parts = split(&all, config.validation, config.test, seed)?;
            (
                all.subset(&parts.train),
                all.subset(&parts.validation),
                all.subset(&parts.test),
            )
        }
    };
    check_classes(&train, &validation, "validation")?;
    check_classes(&train, &test, "test")?;
    Ok(Prepared {
        train,
        validation,
        test,
        standardizer: None,
    })
}

impl Prepared {
    /// Fits the standardization on the training part and applies it to all three.
    pub fn standardize(&mut self) {
        let s = Standardizer::fit(&self.train.features);
        for part in [&mut self.train, &mut self.validation, &mut self.test] {
            s.apply(&mut part.features);
        }
        self.standardizer = Some(s);
    }
}

/// The files [`save_split`] writes into its folder: the training, validation and
/// test parts, in that order.
pub const SPLIT_FILES: [&str; 3] = ["train.csv", "validation.csv", "test.csv"];

/// The files [`save_split`] would write into `dir`, so that they can be checked before
/// anything is written; none when `dir` does not exist yet, as it is then created
/// empty.
///
/// # Errors
/// [`Error::Output`] when `dir` exists and is not a directory.
pub fn split_paths(dir: &Path) -> Result<Vec<PathBuf>> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Output {
            path: dir.to_path_buf(),
            message: format!(
                "{}: it exists and is not a directory",
                mention(settings::SAVE_SPLIT)
            ),
        });
    }
    Ok(if dir.is_dir() {
        SPLIT_FILES.iter().map(|f| dir.join(f)).collect()
    } else {
        Vec::new()
    })
}

/// Writes the three parts of `data` as CSV files ([`to_csv`]) named [`SPLIT_FILES`]
/// into `dir`, creating it if needed; each file is written atomically. Pass the data
/// as read, before standardizing, so that other tools get the same samples.
///
/// # Errors
/// As [`split_paths`]; [`Error::Write`] when the folder or a file cannot be written.
pub fn save_split(dir: &Path, data: &Prepared) -> Result<()> {
    split_paths(dir)?;
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    for (name, part) in SPLIT_FILES
        .iter()
        .zip([&data.train, &data.validation, &data.test])
    {
        backprop_io::atomic::write(&dir.join(name), to_csv(part).as_bytes())?;
    }
    Ok(())
}

/// A dataset as CSV: a header of feature names and the target column(s), then one row
/// per sample (class names for classification).
pub fn to_csv(data: &Dataset) -> String {
    use crate::data::Targets;
    let quote = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut header: Vec<String> = data.feature_names.iter().map(|n| quote(n)).collect();
    match &data.targets {
        Targets::Classes { .. } => header.push("class".into()),
        Targets::Values { names, .. } => header.extend(names.iter().map(|n| quote(n))),
    }
    let mut out = header.join(",") + "\n";
    for s in 0..data.len() {
        let mut row: Vec<String> = data.features.row(s).iter().map(f32::to_string).collect();
        match &data.targets {
            Targets::Classes { labels, names } => row.push(quote(&names[labels[s]])),
            Targets::Values { values, .. } => row.extend(values.row(s).iter().map(f32::to_string)),
        }
        out += &row.join(",");
        out.push('\n');
    }
    out
}
