//! The flags of the library's settings. The library's messages name a setting in
//! backticks, by its place in the configuration (`data.file`); this program prints the
//! flag that sets it (--data) instead.

use backprop_train::settings;

/// Each setting a message may name, and its flag.
const FLAGS: [(&str, &str); 11] = [
    (settings::FILE, "--data"),
    (settings::DATASET, "--dataset"),
    (settings::TARGET, "--target"),
    (settings::TASK, "--task"),
    (settings::DATA_DIR, "--data-dir"),
    (settings::SAMPLES, "--samples"),
    (settings::NOISE, "--noise"),
    (settings::BATCH_SIZE, "--batch-size"),
    (settings::CHECKPOINT_EVERY, "--checkpoint-every"),
    (settings::SAVE_SPLIT, "--save-split"),
    (settings::PLOT_BOUNDARY, "--plot-boundary"),
];

/// `message` with every mention of a setting replaced by its flag.
pub fn with_flags(message: &str) -> String {
    let mut text = message.to_string();
    for (setting, flag) in FLAGS {
        let mention = settings::mention(setting);
        if text.contains(&mention) {
            text = text.replace(&mention, flag);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn every_setting_has_a_flag_of_train() {
        let cli = crate::Cli::command();
        let train = cli.find_subcommand("train").expect("train");
        for setting in settings::ALL {
            let (_, flag) = FLAGS
                .iter()
                .find(|(s, _)| *s == setting)
                .unwrap_or_else(|| panic!("{setting} has no flag"));
            let long = flag.trim_start_matches("--");
            assert!(
                train.get_arguments().any(|a| a.get_long() == Some(long)),
                "train has no {flag}"
            );
        }
    }

    #[test]
    fn mentions_become_flags() {
        assert_eq!(
            with_flags("use full batches (`training.batch_size` full)"),
            "use full batches (--batch-size full)"
        );
        assert_eq!(with_flags("unknown task `x`"), "unknown task `x`");
    }
}
