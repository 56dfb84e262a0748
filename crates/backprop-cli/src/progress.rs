//! What the user sees while training: a progress bar on a terminal, one plain line per
//! epoch otherwise, nothing with --quiet; and the --metrics file, rewritten after every
//! epoch so that it is always complete.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use backprop::metrics::EpochRecord;
use backprop::train::trainer::BatchProgress;
use backprop::train::Monitor;
use indicatif::{ProgressBar, ProgressStyle};

/// The training monitor of the command-line program.
pub struct Progress {
    quiet: bool,
    /// Whether to draw the bar: not quiet, and stderr is a terminal (asked once, as
    /// the question is a system call and batches may take well under a microsecond).
    draw: bool,
    stop: Arc<AtomicBool>,
    bar: Option<ProgressBar>,
    batches: usize,
    metrics: Option<PathBuf>,
    lines: String,
    error: Option<backprop::Error>,
}

impl Progress {
    /// A monitor for epochs of `batches` batches; `stop` is set by the signal handler.
    pub fn new(
        quiet: bool,
        stop: Arc<AtomicBool>,
        batches: usize,
        metrics: Option<PathBuf>,
    ) -> Self {
        Progress {
            quiet,
            draw: !quiet && std::io::stderr().is_terminal(),
            stop,
            bar: None,
            batches,
            metrics,
            lines: String::new(),
            error: None,
        }
    }

    /// Starts the metrics file from the epochs a resumed run already has.
    pub fn restore(&mut self, history: &[EpochRecord]) -> backprop::Result<()> {
        for record in history {
            self.lines += &serde_json::to_string(record).unwrap_or_default();
            self.lines.push('\n');
        }
        self.write_metrics()
    }

    fn write_metrics(&mut self) -> backprop::Result<()> {
        match &self.metrics {
            Some(path) => backprop::atomic::write(path, self.lines.as_bytes()),
            None => Ok(()),
        }
    }

    /// Clears the bar; reports a metrics file that could not be written.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        if let Some(e) = self.error.take() {
            eprintln!("warning: {e}");
        }
    }

    fn bar(&mut self, epoch: usize, epochs: usize) -> &ProgressBar {
        let batches = self.batches as u64;
        self.bar.get_or_insert_with(|| {
            let bar = ProgressBar::new(batches);
            let style = ProgressStyle::with_template(
                "epoch {prefix} [{bar:30}] {pos}/{len} {msg} ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            bar.set_prefix(format!("{epoch}/{epochs}"));
            bar
        })
    }
}

impl Monitor for Progress {
    fn batch(&mut self, p: &BatchProgress) {
        // Redrawn about 200 times an epoch at most: formatting the message costs more
        // than a small network's training step.
        let stride = (self.batches / 200).max(1);
        if !self.draw || (!p.batch.is_multiple_of(stride) && p.batch != p.batches) {
            return;
        }
        let bar = self.bar(p.epoch, p.epochs);
        bar.set_prefix(format!("{}/{}", p.epoch, p.epochs));
        bar.set_position(p.batch as u64);
        let accuracy = p
            .accuracy()
            .map_or(String::new(), |a| format!(" acc {:.2}%", 100.0 * a));
        bar.set_message(format!(
            "loss {:.4}{accuracy} {:.0} samples/s",
            p.loss(),
            p.samples_per_second()
        ));
    }

    fn epoch(&mut self, r: &EpochRecord) {
        self.lines += &serde_json::to_string(r).unwrap_or_default();
        self.lines.push('\n');
        if let Err(e) = self.write_metrics() {
            self.error = Some(e);
        }
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        if self.quiet {
            return;
        }
        let mut line = format!("epoch {:>3}  train loss {:.4}", r.epoch, r.train_loss);
        if let Some(a) = r.train_accuracy {
            line += &format!(" acc {:.2}%", 100.0 * a);
        }
        if let Some(l) = r.validation_loss {
            line += &format!("  validation loss {l:.4}");
        }
        if let Some(a) = r.validation_accuracy {
            line += &format!(" acc {:.2}%", 100.0 * a);
        }
        line += &format!("  {:.0} samples/s  {:.2}s", r.samples_per_second, r.seconds);
        eprintln!("{line}");
    }

    fn should_stop(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }
}
