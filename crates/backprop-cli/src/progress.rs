//! What the user sees while training: a progress bar on a terminal, one plain line per
//! epoch otherwise, nothing with --quiet; and the --metrics file, rewritten after every
//! epoch so that it is always complete. A metrics file that cannot be written stops
//! the run then, with the error.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use backprop_train::metrics::EpochRecord;
use backprop_train::trainer::BatchProgress;
use backprop_train::Monitor;
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
    /// When the bar of this epoch was first drawn, with the samples and batches done
    /// then: the speed and time left come from this clock, read only when drawing.
    since: Option<(Instant, u64, usize)>,
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
            since: None,
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
            Some(path) => backprop_io::atomic::write(path, self.lines.as_bytes()),
            None => Ok(()),
        }
    }

    /// Clears the bar.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }

    fn bar(&mut self, epoch: usize, epochs: usize) -> &ProgressBar {
        let batches = self.batches as u64;
        self.bar.get_or_insert_with(|| {
            let bar = ProgressBar::new(batches);
            let style = ProgressStyle::with_template("epoch {prefix} [{bar:30}] {pos}/{len} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
            bar.set_style(style);
            bar.set_prefix(format!("{epoch}/{epochs}"));
            bar
        })
    }
}

/// Samples per second and the time left in the epoch, from what was done since the
/// bar's clock started; until a batch has been timed, that it is measuring.
fn speed(samples: u64, batches: usize, left: usize, seconds: f64) -> String {
    if batches == 0 || seconds <= 0.0 {
        return "measuring speed…".into();
    }
    let eta = seconds / batches as f64 * left as f64;
    format!(
        "{:.0} samples/s ETA {}",
        samples as f64 / seconds,
        indicatif::HumanDuration(std::time::Duration::from_secs_f64(eta))
    )
}

impl Monitor for Progress {
    fn batch(&mut self, p: &BatchProgress) -> backprop::Result<()> {
        // Redrawn about 200 times an epoch at most: formatting the message costs more
        // than a small network's training step.
        let stride = (self.batches / 200).max(1);
        if !self.draw || (!p.batch.is_multiple_of(stride) && p.batch != p.batches) {
            return Ok(());
        }
        let (started, seen, batch) = *self
            .since
            .get_or_insert_with(|| (Instant::now(), p.seen, p.batch));
        let speed = speed(
            p.seen.saturating_sub(seen),
            p.batch.saturating_sub(batch),
            p.batches.saturating_sub(p.batch),
            started.elapsed().as_secs_f64(),
        );
        let accuracy = p
            .accuracy()
            .map_or(String::new(), |a| format!(" acc {:.2}%", 100.0 * a));
        let bar = self.bar(p.epoch, p.epochs);
        bar.set_prefix(format!("{}/{}", p.epoch, p.epochs));
        bar.set_position(p.batch as u64);
        bar.set_message(format!("loss {:.4}{accuracy} {speed}", p.loss()));
        Ok(())
    }

    fn epoch(&mut self, r: &EpochRecord) -> backprop::Result<()> {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        self.since = None;
        if !self.quiet {
            eprintln!("{}", epoch_line(r));
        }
        self.lines += &serde_json::to_string(r).unwrap_or_default();
        self.lines.push('\n');
        self.write_metrics()
    }

    fn should_stop(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }
}

/// The line an epoch prints: its losses, accuracies and speed.
fn epoch_line(r: &EpochRecord) -> String {
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
    line
}

#[cfg(test)]
mod tests {
    use super::speed;

    #[test]
    fn speed_and_time_left_come_from_the_batches_timed() {
        // 640 samples in 10 batches over 2 s: 320 samples/s; 30 batches left at
        // 0.2 s each take 6 s.
        assert_eq!(speed(640, 10, 30, 2.0), "320 samples/s ETA 6 seconds");
        assert_eq!(speed(0, 0, 40, 0.0), "measuring speed…");
    }
}
