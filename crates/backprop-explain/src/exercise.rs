//! Exercises: a new network with "nice" numbers (a few decimals each), the statement
//! that asks for its quantities, the answers template that `check` reads (with the
//! spec on its `# spec:` line), and the solution, which is the explanation itself.
//! The same options give the same exercise.

use std::path::Path;

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

use crate::build::keyed_document;
use crate::check::names::{self, Named, Quantity};
use crate::doc::{words, Block, Stage};
use crate::html::{self, Settings, View};
use crate::lang::Lang;
use crate::msg::Msg;
use crate::optimizer::OptimizerSpec;
use crate::run::{explain, Explanation, Options};
use crate::spec::{LayerSpec, Sample, Spec};
use backprop::activation::Activation;
use backprop::error::Result;
use backprop::layer::Bias;
use backprop::loss::Loss;
use backprop::optim::OptimizerKind;

/// What exercise to make.
#[derive(Clone, Debug, PartialEq)]
pub struct Exercise {
    /// The inputs, then each layer's size: `[2, 2, 2]` is the tutorial's shape.
    pub layers: Vec<usize>,
    /// Every layer's activation (a softmax only on the output layer).
    pub activation: Activation,
    /// The loss.
    pub loss: Loss,
    /// The seed of the numbers.
    pub seed: u64,
    /// The optimizer of the update, with its default settings (plain gradient descent
    /// when `None`).
    pub optimizer: Option<OptimizerKind>,
    /// Decimal places of every number given (1 to 4).
    pub digits: u32,
}

impl Default for Exercise {
    fn default() -> Self {
        Exercise {
            layers: vec![2, 2, 2],
            activation: Activation::Sigmoid,
            loss: Loss::HalfSse,
            seed: 0,
            digits: 2,
            optimizer: None,
        }
    }
}

/// The largest layer an exercise by hand has.
pub const MAX_SIZE: usize = 8;
/// The most entries an exercise's layers have: the inputs and up to four layers.
pub const MAX_LAYERS: usize = 5;

/// Checks an exercise's layers (the number of inputs, then each layer's size): 2 to
/// [`MAX_LAYERS`] numbers, each from 1 to [`MAX_SIZE`]. The message says what is wrong.
pub fn check_layers(sizes: &[usize]) -> std::result::Result<(), String> {
    if sizes.len() < 2 || sizes.len() > MAX_LAYERS {
        return Err(format!(
            "expected the inputs and 1 to {} layers, got {} numbers",
            MAX_LAYERS - 1,
            sizes.len()
        ));
    }
    if sizes.iter().any(|&n| n == 0 || n > MAX_SIZE) {
        return Err(format!("every size must be from 1 to {MAX_SIZE}"));
    }
    Ok(())
}

/// The prefix of the answers template's line that carries the spec as JSON.
pub const SPEC_LINE: &str = "# spec:";

/// The spec a template carries on its [`SPEC_LINE`], if it has one.
pub fn embedded_spec(answers: &str) -> Option<&str> {
    answers
        .lines()
        .find_map(|l| l.trim_start().strip_prefix(SPEC_LINE))
        .map(str::trim)
}

/// A number in [lo, hi) with `digits` decimals, never 0.
fn nice(rng: &mut Pcg64, lo: f64, hi: f64, digits: u32) -> f64 {
    let scale = 10f64.powi(digits as i32);
    loop {
        let x = (rng.gen_range(lo..hi) * scale).round() / scale;
        if x != 0.0 {
            return x;
        }
    }
}

impl Exercise {
    /// The exercise's network, one sample, η = 0.5 and fixed biases as in the
    /// tutorial; checked as a spec file is.
    pub fn spec(&self) -> Result<Spec> {
        let mut rng = Pcg64::seed_from_u64(self.seed);
        let digits = self.digits.clamp(1, 4);
        let inputs = self.layers.first().copied().unwrap_or(0);
        let mut fan_in = inputs;
        let mut layers = Vec::new();
        for &size in self.layers.iter().skip(1) {
            let weights = (0..size)
                .map(|_| {
                    (0..fan_in)
                        .map(|_| nice(&mut rng, -1.0, 1.0, digits))
                        .collect()
                })
                .collect();
            layers.push(LayerSpec {
                size,
                activation: self.activation,
                weights: Some(weights),
                bias: Some(Bias::Shared(nice(&mut rng, 0.0, 1.0, digits))),
                init: None,
                train_bias: None,
            });
            fan_in = size;
        }
        let input = (0..inputs)
            .map(|_| nice(&mut rng, 0.0, 1.0, digits))
            .collect();
        let outputs = layers.last().map_or(0, |l| l.size);
        let target = if self.loss == Loss::CrossEntropy {
            let hot = rng.gen_range(0..outputs.max(1));
            (0..outputs)
                .map(|j| if j == hot { 1.0 } else { 0.0 })
                .collect()
        } else {
            (0..outputs)
                .map(|_| nice(&mut rng, 0.0, 1.0, digits))
                .collect()
        };
        let spec = Spec {
            inputs,
            layers,
            loss: self.loss,
            learning_rate: 0.5,
            optimizer: self.optimizer.map(OptimizerSpec::defaults),
            train_bias: false,
            order: Default::default(),
            seed: None,
            samples: vec![Sample { input, target }],
        };
        spec.validate(Path::new("<exercise>"))?;
        Ok(spec)
    }
}

/// The quantities an exercise asks for, in the order of the computation: every net
/// and out, E_total, every δ, and the gradient and updated value of each neuron's
/// first weight.
pub fn questions(spec: &Spec) -> Vec<Named> {
    names::all(spec)
        .into_iter()
        .filter(|n| match n.quantity {
            Quantity::Net { .. } | Quantity::Out { .. } | Quantity::Total => true,
            Quantity::Delta { .. } => true,
            Quantity::GradWeight { k, .. } | Quantity::WeightAfter { k, .. } => k == 0,
            // The optimizer's state of the same weights, before their new values.
            Quantity::WeightState { k, .. } => k == 0,
            _ => false,
        })
        .collect()
}

/// The answers template: a header, the spec on its [`SPEC_LINE`], and each question's
/// ASCII name with a blank for its value (a blank is skipped by `check`).
pub fn template(spec: &Spec, seed: u64) -> String {
    let mut out = format!(
        "# backprop exercise (seed {seed}): write each value after its `=`, then run\n\
         # `backprop check THIS_FILE`. Blank values are skipped.\n"
    );
    let json = serde_json::to_string(spec).unwrap_or_default();
    out.push_str(&format!("{SPEC_LINE} {json}\n\n"));
    for q in questions(spec) {
        out.push_str(&format!("{} = \n", q.ascii));
    }
    out
}

/// The statement: the network and its starting values, as the explanation introduces
/// them, then the list of quantities to compute, in both spellings.
pub fn statement(spec: &Spec) -> Result<Vec<Block>> {
    let ex = first_round(spec)?;
    let mut blocks = vec![Block::Title(Msg::new("exercise_title"))];
    blocks.extend(
        keyed_document(&ex)
            .entries
            .into_iter()
            .filter(|e| e.stage == Stage::Intro && !matches!(e.block, Block::Title(_)))
            .map(|e| e.block),
    );
    blocks.push(Block::Heading(Msg::new("exercise_compute")));
    let rows = questions(spec)
        .into_iter()
        .map(|q| vec![q.unicode, q.ascii])
        .collect();
    blocks.push(Block::Table {
        header: vec![
            words(Msg::new("exercise_name")),
            words(Msg::new("exercise_ascii")),
        ],
        rows,
    });
    blocks.push(Block::Para(vec![words(Msg::new("exercise_check"))]));
    Ok(blocks)
}

/// The exercise's first round, run and recorded: what the statement introduces and the
/// solution explains.
fn first_round(spec: &Spec) -> Result<Explanation> {
    explain(
        spec,
        Options {
            rounds: 1,
            show: 1,
            order: None,
        },
    )
}

/// The solution: the explanation of the exercise's first round.
pub fn solution(spec: &Spec) -> Result<Vec<Block>> {
    let ex = first_round(spec)?;
    Ok(crate::build::document(&ex))
}

/// The exercise as the self-contained page, in `lang`, opening on `view`: the Practice
/// mode is the statement (each value typed and checked on the page), the explanation
/// is the solution.
pub fn page(spec: &Spec, lang: Lang, view: View) -> Result<String> {
    let ex = first_round(spec)?;
    let settings = Settings {
        view,
        ..Settings::standalone(lang, &ex)
    };
    html::render(&ex, &settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_exercise() {
        let a = Exercise {
            seed: 7,
            ..Exercise::default()
        };
        assert_eq!(a.spec().unwrap(), a.spec().unwrap());
        let b = Exercise {
            seed: 8,
            ..Exercise::default()
        };
        assert_ne!(a.spec().unwrap(), b.spec().unwrap());
    }

    #[test]
    fn numbers_have_the_digits_asked_for() {
        let spec = Exercise {
            digits: 1,
            seed: 3,
            ..Exercise::default()
        }
        .spec()
        .unwrap();
        for row in spec.layers[0].weights.as_ref().unwrap() {
            for w in row {
                assert_eq!((w * 10.0).round() / 10.0, *w);
            }
        }
    }

    #[test]
    fn the_template_carries_its_spec() {
        let spec = Exercise::default().spec().unwrap();
        let text = template(&spec, 0);
        let json = embedded_spec(&text).unwrap();
        assert_eq!(Spec::parse(json, Path::new("t.json")).unwrap(), spec);
        assert!(text.contains("\nw5+ = \n"), "{text}");
        assert!(text.contains("\ndelta_h1 = \n"), "{text}");
    }
}
