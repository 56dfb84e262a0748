//! What one request may ask of the server, so that no request can take it down.
//!
//! A request's cost is counted before any work is done, in two deterministic measures
//! that its CPU time and memory follow (calibrated with `bench/serve-load` and a
//! counting allocator, release build, on a 2-core AMD EPYC):
//!
//! - **work**, the training it asks for: rounds × samples × (weights + 4 × neurons),
//!   for each update order run. A unit costs 2–6 ns of CPU (the neurons' term is the
//!   activation functions' share), so the default 10⁸ is at most about 0.6 s.
//! - **terms**, the rounds shown in full, each with every quantity's derivation:
//!   shown rounds × (samples × (weights + 32 × neurons + 4 × inputs) + 16 × weights).
//!   A unit costs 0.9–1.5 kB of heap at the peak (up to 1.9 kB of resident memory),
//!   110–180 bytes of answer and 7–18 µs of CPU, so the default 30,000 is at most
//!   about 60 MB, 5.4 MB and 0.5 s.

use serde::Serialize;

use crate::reply::ApiError;
use backprop_explain::spec::Spec;

/// The largest request the server accepts, and the largest work it does for one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// Bytes of a request body.
    pub body_bytes: usize,
    /// Bytes of a request's line and header fields.
    pub header_bytes: usize,
    /// Milliseconds a client has to send its whole request (the answer takes longer).
    pub read_ms: u64,
    /// Milliseconds a client has to take in the answer.
    pub write_ms: u64,
    /// Connections open at once; one more is answered 503 at once.
    pub connections: usize,
    /// Whole requests waiting for a free worker; one more is answered 503 at once. As
    /// many as the connections by default: a burst of small requests waits its turn.
    pub queue: usize,
    /// Layers of a network (hidden and output).
    pub layers: usize,
    /// Neurons in a layer, and inputs of a network.
    pub neurons: usize,
    /// Rounds of training in one explanation, or steps in one playground request.
    pub rounds: usize,
    /// Rounds shown in full in one explanation.
    pub show: usize,
    /// Samples in the batch of an explanation.
    pub samples: usize,
    /// Points a playground generator may draw.
    pub points: usize,
    /// Cells along each side of the playground's decision-region grid.
    pub grid: usize,
    /// Training one request may ask for: rounds × samples × (weights + 4 × neurons),
    /// counted for each update order run.
    pub work: u64,
    /// Size of the rounds one explanation shows in full: shown rounds × (samples ×
    /// (weights + 32 × neurons + 4 × inputs) + 16 × weights).
    pub terms: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_bytes: 1 << 20,
            header_bytes: 16 << 10,
            read_ms: 10_000,
            write_ms: 10_000,
            connections: 64,
            queue: 64,
            layers: 8,
            neurons: 64,
            rounds: 10_000,
            show: 5,
            samples: 64,
            points: 2_000,
            grid: 100,
            work: 100_000_000,
            terms: 30_000,
        }
    }
}

/// The sizes of a network that its cost is counted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Size {
    /// Its inputs.
    pub inputs: u64,
    /// Its weights, all layers.
    pub weights: u64,
    /// Its neurons, all layers.
    pub neurons: u64,
}

impl Size {
    /// The size of a network of `inputs` inputs and layers of `sizes` neurons.
    pub fn of(inputs: usize, sizes: &[usize]) -> Size {
        let mut fan_in = inputs as u64;
        let mut weights = 0u64;
        for &n in sizes {
            weights = weights.saturating_add(fan_in.saturating_mul(n as u64));
            fan_in = n as u64;
        }
        Size {
            inputs: inputs as u64,
            weights,
            neurons: sizes
                .iter()
                .fold(0u64, |sum, &n| sum.saturating_add(n as u64)),
        }
    }

    /// The work of `rounds` rounds over `samples` samples.
    pub fn work(&self, rounds: usize, samples: usize) -> u64 {
        let per_sample = self.weights.saturating_add(self.neurons.saturating_mul(4));
        (rounds as u64)
            .saturating_mul(samples as u64)
            .saturating_mul(per_sample)
    }

    /// The terms of `show` rounds shown in full over `samples` samples.
    pub fn terms(&self, show: usize, samples: usize) -> u64 {
        backprop_explain::run::terms(self.inputs, self.weights, self.neurons, samples, show)
    }
}

impl Limits {
    /// Checks a network of `inputs` inputs and layers of `sizes` neurons.
    pub fn check_shape(&self, inputs: usize, sizes: &[usize]) -> Result<(), ApiError> {
        if sizes.len() > self.layers {
            return Err(ApiError::bad(format!(
                "the network has {} layers; the limit is {}",
                sizes.len(),
                self.layers
            )));
        }
        if inputs > self.neurons {
            return Err(ApiError::bad(format!(
                "the network has {inputs} inputs; the limit is {}",
                self.neurons
            )));
        }
        if let Some((l, &n)) = sizes.iter().enumerate().find(|(_, &n)| n > self.neurons) {
            return Err(ApiError::bad(format!(
                "layers[{l}] has {n} neurons; the limit is {} per layer",
                self.neurons
            )));
        }
        Ok(())
    }

    /// Checks `runs` × `rounds` rounds over `samples` samples of a network of `size`.
    pub fn check_work(
        &self,
        runs: usize,
        rounds: usize,
        samples: usize,
        size: Size,
    ) -> Result<(), ApiError> {
        self.check_rounds_of_work(runs, rounds, format!("{rounds} rounds"), samples, size)
    }

    /// [`check_work`](Self::check_work) with the rounds as the message words them.
    fn check_rounds_of_work(
        &self,
        runs: usize,
        rounds: usize,
        worded: String,
        samples: usize,
        size: Size,
    ) -> Result<(), ApiError> {
        let work = size.work(rounds, samples).saturating_mul(runs as u64);
        if work > self.work {
            let times = if runs > 1 {
                format!("{runs} × ")
            } else {
                String::new()
            };
            return Err(ApiError::bad(format!(
                "{times}{worded} × {samples} samples × ({} weights + 4 × {} neurons) \
                 is {work} units of work; the limit is {} per request: ask for fewer rounds, \
                 samples or neurons",
                size.weights, size.neurons, self.work
            )));
        }
        Ok(())
    }

    /// Checks an explanation of `spec` over `rounds` rounds, `show` of them in full.
    pub fn check_explain(&self, spec: &Spec, rounds: usize, show: usize) -> Result<(), ApiError> {
        let sizes: Vec<usize> = spec.layers.iter().map(|l| l.size).collect();
        self.check_shape(spec.inputs, &sizes)?;
        if rounds == 0 || rounds > self.rounds {
            return Err(ApiError::bad(format!(
                "rounds must be between 1 and {}, got {rounds}",
                self.rounds
            )));
        }
        if show == 0 || show > self.show {
            return Err(ApiError::bad(format!(
                "show must be between 1 and {}, got {show}",
                self.show
            )));
        }
        let samples = spec.samples.len();
        if samples > self.samples {
            return Err(ApiError::bad(format!(
                "the spec has {samples} samples; the limit is {}",
                self.samples
            )));
        }
        let size = Size::of(spec.inputs, &sizes);
        let shown = show.min(rounds);
        // Both update orders are run, the second for the comparison; the Practice
        // mode's data runs the shown rounds once more, in both orders.
        let worded = format!("({rounds} rounds + {shown} shown again for practice)");
        self.check_rounds_of_work(2, rounds + shown, worded, samples, size)?;
        let terms = size.terms(shown, samples);
        if terms > self.terms {
            return Err(ApiError::bad(format!(
                "showing {shown} rounds of {samples} samples in full is {shown} × ({samples} × \
                 ({} weights + 32 × {} neurons + 4 × {} inputs) + 16 × {} weights) = {terms} \
                 terms; the limit is {}: show fewer rounds, or use fewer samples or neurons",
                size.weights, size.neurons, size.inputs, size.weights, self.terms
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_count_every_layer() {
        // 2 inputs → 2 → 2: 4 + 4 weights, 4 neurons.
        let s = Size::of(2, &[2, 2]);
        assert_eq!((s.inputs, s.weights, s.neurons), (2, 8, 4));
        // 10 rounds × 1 sample × (8 + 16).
        assert_eq!(s.work(10, 1), 240);
        // 3 × (1 × (8 + 128 + 8) + 128).
        assert_eq!(s.terms(3, 1), 816);
        let huge = Size::of(usize::MAX, &[usize::MAX, usize::MAX]);
        assert_eq!(huge.work(usize::MAX, usize::MAX), u64::MAX);
        assert_eq!(huge.terms(usize::MAX, usize::MAX), u64::MAX);
    }
}
