//! Checking every output of a command together, before anything is written.

use std::path::Path;

use super::target::{check_output, same_file};
use backprop::error::{Error, Result};

/// The files a command will write and the ones it reads, named by their flags, so that
/// all of them can be checked before the first byte is written: each output must be a
/// regular file or a new one in an existing directory, no two outputs may be the same
/// file, and no output may be the same file as an input (unless [`Outputs::allow`]ed).
#[derive(Debug, Default)]
pub struct Outputs<'a> {
    outputs: Vec<(&'a str, &'a Path)>,
    inputs: Vec<(&'a str, &'a Path)>,
    allowed: Vec<(&'a str, &'a str)>,
}

impl<'a> Outputs<'a> {
    /// Nothing to check yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// An output given with `flag` (if it was given).
    pub fn output(mut self, flag: &'a str, path: Option<&'a Path>) -> Self {
        self.outputs.extend(path.map(|p| (flag, p)));
        self
    }

    /// An input given with `flag` (if it was given).
    pub fn input(mut self, flag: &'a str, path: Option<&'a Path>) -> Self {
        self.inputs.extend(path.map(|p| (flag, p)));
        self
    }

    /// Lets the output of `output_flag` replace the input of `input_flag`, for a file
    /// that is read whole before it is written again (a checkpoint resumed from).
    pub fn allow(mut self, output_flag: &'a str, input_flag: &'a str) -> Self {
        self.allowed.push((output_flag, input_flag));
        self
    }

    /// Checks everything; the first problem is the error, naming the flags.
    pub fn check(&self) -> Result<()> {
        for (i, &(flag, path)) in self.outputs.iter().enumerate() {
            let refuse = |message: String| Error::Output {
                path: path.to_path_buf(),
                message,
            };
            check_output(path).map_err(|e| match e {
                Error::Output { message, .. } => refuse(format!("{flag}: {message}")),
                other => other,
            })?;
            for &(other_flag, other) in &self.outputs[..i] {
                if path == other || same_file(path, other) {
                    return Err(refuse(format!(
                        "{flag} and {other_flag} name the same file; give each output its own"
                    )));
                }
            }
            for &(input_flag, input) in &self.inputs {
                if same_file(path, input) && !self.allowed.contains(&(flag, input_flag)) {
                    return Err(refuse(format!(
                        "{flag} names the same file as the input {input_flag}, which writing it would destroy; choose another output"
                    )));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_may_not_be_an_input_or_another_output() {
        let dir = std::env::temp_dir().join(format!("backprop-plan-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let data = dir.join("d.csv");
        std::fs::write(&data, "a,b\n1,2\n").unwrap();
        let err = Outputs::new()
            .input("--data", Some(&data))
            .output("--out", Some(&data))
            .check()
            .unwrap_err()
            .to_string();
        assert!(
            err.ends_with("d.csv: --out names the same file as the input --data, which writing it would destroy; choose another output"),
            "{err}"
        );
        let fresh = dir.join("new.bin");
        let err = Outputs::new()
            .output("--out", Some(&fresh))
            .output("--metrics", Some(&fresh))
            .check()
            .unwrap_err()
            .to_string();
        assert!(
            err.ends_with("--metrics and --out name the same file; give each output its own"),
            "{err}"
        );
        Outputs::new()
            .input("--resume", Some(&data))
            .output("--checkpoint", Some(&data))
            .allow("--checkpoint", "--resume")
            .check()
            .unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
