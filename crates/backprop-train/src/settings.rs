//! The names of the settings that messages point at, so that a message can say which
//! setting to change.
//!
//! A message writes a setting in backticks, by the name below, as in "use full batches
//! (`training.batch_size` full)". Settings of the configuration go by their place in
//! it (`data.file`); the others by the name of the argument that carries them. A
//! program that names its settings otherwise (a command line has flags) replaces each
//! [`mention`] with its own name before printing.

/// The CSV file to read ([`DataConfig::file`](crate::config::DataConfig::file)).
pub const FILE: &str = "data.file";
/// A named dataset ([`DataConfig::dataset`](crate::config::DataConfig::dataset)).
pub const DATASET: &str = "data.dataset";
/// The target columns of a CSV file.
pub const TARGET: &str = "data.target";
/// Classification or regression.
pub const TASK: &str = "data.task";
/// The folder of IDX files.
pub const DATA_DIR: &str = "data.data_dir";
/// The samples a generator draws.
pub const SAMPLES: &str = "data.samples";
/// The noise of a generator.
pub const NOISE: &str = "data.noise";
/// Samples per step.
pub const BATCH_SIZE: &str = "training.batch_size";
/// Epochs between checkpoints ([`CheckpointPlan::every`](crate::CheckpointPlan::every)).
pub const CHECKPOINT_EVERY: &str = "checkpoint_every";
/// The folder the split is written to ([`save_split`](crate::prepare::save_split)).
pub const SAVE_SPLIT: &str = "save_split";
/// The file of a decision-region plot.
pub const PLOT_BOUNDARY: &str = "plot_boundary";

/// Every setting above.
pub const ALL: [&str; 11] = [
    FILE,
    DATASET,
    TARGET,
    TASK,
    DATA_DIR,
    SAMPLES,
    NOISE,
    BATCH_SIZE,
    CHECKPOINT_EVERY,
    SAVE_SPLIT,
    PLOT_BOUNDARY,
];

/// `setting` as a message writes it: in backticks.
pub fn mention(setting: &str) -> String {
    format!("`{setting}`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_distinct_and_mentioned_in_backticks() {
        let mut names = ALL.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
        assert_eq!(mention(BATCH_SIZE), "`training.batch_size`");
    }
}
