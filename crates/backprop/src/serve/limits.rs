//! What one request may ask of the server, so that no request can take it down.

use serde::Serialize;

use crate::serve::api::ApiError;
use crate::spec::Spec;

/// The largest request the server accepts, and the largest work it does for one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// Bytes of a request body.
    pub body_bytes: usize,
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
    /// Multiply-adds of the training one request asks for: rounds × samples × weights.
    pub work: u64,
    /// Quantities one explanation may show in full, each with its derivation.
    pub quantities: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_bytes: 1 << 20,
            layers: 8,
            neurons: 64,
            rounds: 10_000,
            show: 5,
            samples: 64,
            points: 2_000,
            grid: 100,
            work: 2_000_000_000,
            quantities: 50_000,
        }
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

    /// Checks training `rounds` rounds over `samples` samples of a network with
    /// `weights` weights.
    pub fn check_work(
        &self,
        rounds: usize,
        samples: usize,
        weights: usize,
    ) -> Result<(), ApiError> {
        let work = (rounds as u64)
            .saturating_mul(samples as u64)
            .saturating_mul(weights as u64);
        if work > self.work {
            return Err(ApiError::bad(format!(
                "{rounds} rounds × {samples} samples × {weights} weights is {work} multiply-adds; \
                 the limit is {} per request: ask for fewer rounds, samples or neurons",
                self.work
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
        let mut fan_in = spec.inputs;
        let mut weights = 0;
        for &n in &sizes {
            weights += n * fan_in;
            fan_in = n;
        }
        // Both update orders are run.
        self.check_work(2 * rounds, samples, weights)?;
        let neurons: usize = sizes.iter().sum();
        let quantities = show.min(rounds) * (6 * samples * neurons + 4 * weights);
        if quantities > self.quantities {
            return Err(ApiError::bad(format!(
                "showing {show} rounds of this network in full means about {quantities} derivations; \
                 the limit is {}: show fewer rounds, or use fewer samples or neurons",
                self.quantities
            )));
        }
        Ok(())
    }
}
