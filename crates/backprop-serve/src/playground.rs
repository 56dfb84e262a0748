//! The playground's training: a 2-D generator's points, a network built as `train`
//! builds one, full-batch steps of the engine, and the decision regions over a grid.
//! Stateless: the client sends back the weights of the last answer to go on.

use serde::{Deserialize, Serialize};

use crate::limits::{Limits, Size};
use crate::reply::ApiError;
use backprop::activation::Activation;
use backprop::error::Error;
use backprop::layer::Bias;
use backprop::matrix::{argmax, Matrix};
use backprop::network::{Network, Order};
use backprop::optim::Sgd;
use backprop_explain::spec::{LayerSpec, Sample, Spec};
use backprop_train::data::generate::{generate, GeneratorOptions, GENERATORS};
use backprop_train::data::prep::batch_into;
use backprop_train::data::{Targets, Task};
use backprop_train::trainer::{first_non_finite, short};
use backprop_train::{build_network, output_and_loss, TrainConfig};

/// What to train, and for how many steps.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainRequest {
    /// A generator: `moons`, `circles`, `spiral`, `blobs` or `xor`.
    pub dataset: String,
    /// Points to draw (default 200).
    #[serde(default = "default_samples")]
    pub samples: usize,
    /// Standard deviation of the noise (default 0.1).
    #[serde(default = "default_noise")]
    pub noise: f64,
    /// Seed of the points and of the initial weights (default 0).
    #[serde(default)]
    pub seed: u64,
    /// Sizes of the hidden layers (default `[6, 6]`).
    #[serde(default = "default_hidden")]
    pub hidden: Vec<usize>,
    /// Activation of the hidden layers (default `tanh`).
    #[serde(default = "default_activation")]
    pub activation: Activation,
    /// Learning rate of plain gradient descent (default 0.3).
    #[serde(default = "default_learning_rate")]
    pub learning_rate: f64,
    /// Full-batch steps to take now (0 just evaluates).
    #[serde(default)]
    pub steps: usize,
    /// The weights to continue from (the last answer's `network`); none starts afresh.
    #[serde(default)]
    pub network: Option<Vec<LayerParams>>,
    /// Cells along each side of the decision-region grid (default 40).
    #[serde(default = "default_grid")]
    pub grid: usize,
    /// The point whose one-step spec to return (default 0).
    #[serde(default)]
    pub inspect: usize,
}

fn default_samples() -> usize {
    200
}
fn default_noise() -> f64 {
    0.1
}
fn default_hidden() -> Vec<usize> {
    vec![6, 6]
}
fn default_activation() -> Activation {
    Activation::Tanh
}
fn default_learning_rate() -> f64 {
    0.3
}
fn default_grid() -> usize {
    40
}

/// One layer's parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerParams {
    /// One row per neuron.
    pub weights: Vec<Vec<f64>>,
    /// One per neuron.
    pub bias: Vec<f64>,
}

/// The classifier's answer over a grid: row `r` (from the bottom) and column `c` is
/// entry `r · size + c`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Grid {
    /// Cells per side.
    pub size: usize,
    /// The x range covered.
    pub x: [f64; 2],
    /// The y range covered.
    pub y: [f64; 2],
    /// The class the network picks at each cell centre.
    pub class: Vec<usize>,
    /// Its softmax probability there.
    pub confidence: Vec<f32>,
}

/// What training did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrainReply {
    /// The weights after the steps; send them back to go on.
    pub network: Vec<LayerParams>,
    /// The loss of each step taken now, before its update.
    pub losses: Vec<f64>,
    /// The loss after the steps.
    pub loss: f64,
    /// The share of points classified right after the steps.
    pub accuracy: Option<f64>,
    /// Number of classes.
    pub classes: usize,
    /// The points: x, y, class.
    pub points: Vec<[f64; 3]>,
    /// The decision regions.
    pub grid: Grid,
    /// The network now with point `inspect` as its one sample: a spec for
    /// `/api/explain` that shows one training step on that point.
    pub spec: Spec,
}

/// Runs the request's steps.
pub fn train(request: &TrainRequest, limits: &Limits) -> Result<TrainReply, ApiError> {
    let r = request;
    if !GENERATORS.contains(&r.dataset.as_str()) {
        return Err(ApiError::bad(format!(
            "unknown dataset `{}`; expected one of {}",
            r.dataset,
            GENERATORS.join(", ")
        )));
    }
    let in_range = |what: &str, value: usize, low: usize, high: usize| {
        if (low..=high).contains(&value) {
            Ok(())
        } else {
            Err(ApiError::bad(format!(
                "{what} must be between {low} and {high}, got {value}"
            )))
        }
    };
    in_range("samples", r.samples, 4, limits.points)?;
    in_range("steps", r.steps, 0, limits.rounds)?;
    in_range("grid", r.grid, 2, limits.grid)?;
    in_range("inspect", r.inspect, 0, r.samples - 1)?;
    if !(r.noise.is_finite() && (0.0..=10.0).contains(&r.noise)) {
        return Err(ApiError::bad(format!(
            "noise must be between 0 and 10, got {}",
            short(r.noise)
        )));
    }
    if !(r.learning_rate.is_finite() && r.learning_rate > 0.0) {
        return Err(ApiError::bad(format!(
            "learning_rate must be a finite number greater than 0, got {}",
            short(r.learning_rate)
        )));
    }
    let options = GeneratorOptions {
        samples: r.samples,
        noise: r.noise,
        seed: r.seed,
    };
    let data = generate(&r.dataset, &options)
        .ok_or_else(|| ApiError::bad(format!("cannot generate `{}`", r.dataset)))?;
    let classes = data.outputs();
    let mut sizes = vec![2];
    sizes.extend(&r.hidden);
    sizes.push(classes);
    limits.check_shape(2, &sizes[1..])?;
    let mut config = TrainConfig::default();
    config.model.layers = sizes.clone();
    config.model.activation = r.activation;
    config.training.seed = r.seed;
    let mut net = build_network(&config, Task::Classification, 2, classes)?;
    if let Some(params) = &r.network {
        load(&mut net, params)?;
    }
    let size = Size::of(2, &sizes[1..]);
    limits.check_work(1, r.steps.max(1), r.samples, size)?;
    let cells = size.work(1, r.grid * r.grid);
    if cells > limits.work {
        return Err(ApiError::bad(format!(
            "drawing a grid of {0} × {0} cells with this network is {cells} units of work; \
             the limit is {1}: ask for a smaller grid or fewer neurons",
            r.grid, limits.work
        )));
    }

    let all: Vec<usize> = (0..data.len()).collect();
    let (mut x, mut t) = (Matrix::zeros(0, 2), Matrix::zeros(0, classes));
    batch_into(&data, &all, &mut x, &mut t);
    let mut ws = net.workspace(x.rows());
    let mut sgd = Sgd {
        learning_rate: r.learning_rate as f32,
    };
    let mut losses = Vec::with_capacity(r.steps);
    for step in 0..r.steps {
        let loss = net.train_step(&mut ws, &x, &t, Order::Textbook, &mut sgd, &mut ())?;
        if !loss.is_finite() {
            return Err(Error::Diverged(format!(
                "training diverged: the loss became {loss} at step {} of this request; try a lower learning rate than {}",
                step + 1,
                short(r.learning_rate)
            ))
            .into());
        }
        losses.push(f64::from(loss));
    }
    // A weight can overflow in the last update while the loss before it was finite.
    if let Some(bad) = first_non_finite(&net) {
        return Err(Error::Diverged(format!(
            "training diverged: {bad} in this request's {} steps; try a lower learning rate than {}",
            r.steps,
            short(r.learning_rate)
        ))
        .into());
    }
    let loss = f64::from(net.evaluate(&mut ws, &x, &t)?);
    let labels = match &data.targets {
        Targets::Classes { labels, .. } => labels.clone(),
        Targets::Values { .. } => Vec::new(),
    };
    let out = &ws.layers[net.layers.len() - 1].out;
    let correct = (0..labels.len())
        .filter(|&s| argmax(out.row(s)).0 == labels[s])
        .count();
    let points = (0..data.len())
        .map(|s| {
            let p = data.features.row(s);
            [f64::from(p[0]), f64::from(p[1]), labels[s] as f64]
        })
        .collect();
    let grid = regions(&net, &data.features, r.grid)?;
    let spec = one_step_spec(&net, r, &data.features, &labels, classes);
    Ok(TrainReply {
        network: params(&net),
        losses,
        loss,
        accuracy: Some(correct as f64 / labels.len().max(1) as f64),
        classes,
        points,
        grid,
        spec,
    })
}

/// Puts the client's weights into `net`, checking every shape.
fn load(net: &mut Network<f32>, params: &[LayerParams]) -> Result<(), ApiError> {
    let again = "send the `network` of the last answer, or null to start again";
    if params.len() != net.layers.len() {
        return Err(ApiError::bad(format!(
            "network: has {} layers but the request describes {}; {again}",
            params.len(),
            net.layers.len()
        )));
    }
    for (l, (layer, p)) in net.layers.iter_mut().zip(params).enumerate() {
        let (rows, cols) = (layer.weights.rows(), layer.weights.cols());
        let fits = p.weights.len() == rows
            && p.weights.iter().all(|row| row.len() == cols)
            && p.bias.len() == rows;
        if !fits {
            return Err(ApiError::bad(format!(
                "network[{l}]: needs {rows} rows of {cols} weights and {rows} biases; {again}"
            )));
        }
        let values = p.weights.iter().flatten().chain(&p.bias);
        if values.clone().any(|v| !v.is_finite()) {
            return Err(ApiError::bad(format!(
                "network[{l}]: every weight and bias must be a finite number"
            )));
        }
        for (dst, &src) in layer
            .weights
            .as_mut_slice()
            .iter_mut()
            .zip(p.weights.iter().flatten())
        {
            *dst = src as f32;
        }
        layer.bias = Bias::PerNeuron(p.bias.iter().map(|&b| b as f32).collect());
    }
    Ok(())
}

fn params(net: &Network<f32>) -> Vec<LayerParams> {
    net.layers
        .iter()
        .map(|l| LayerParams {
            weights: l.weights.to_rows_f64(),
            bias: l.bias.to_f64().as_slice().to_vec(),
        })
        .collect()
}

/// The class and its probability at each cell centre of a grid over the points.
fn regions(net: &Network<f32>, points: &Matrix<f32>, size: usize) -> Result<Grid, ApiError> {
    let range = |j: usize| {
        let column = (0..points.rows()).map(|i| f64::from(points.get(i, j)));
        let (lo, hi) = column.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        let pad = ((hi - lo) * 0.1).max(0.1);
        [lo - pad, hi + pad]
    };
    let (x, y) = (range(0), range(1));
    let cells = Matrix::grid_centres(x[0]..x[1], y[0]..y[1], size);
    let mut ws = net.workspace(size * size);
    let out = net.forward(&mut ws, &cells)?;
    let (class, confidence) = (0..out.rows()).map(|i| argmax(out.row(i))).unzip();
    Ok(Grid {
        size,
        x,
        y,
        class,
        confidence,
    })
}

/// A spec of `net` as it is now, with point `inspect` as its only sample.
fn one_step_spec(
    net: &Network<f32>,
    r: &TrainRequest,
    points: &Matrix<f32>,
    labels: &[usize],
    classes: usize,
) -> Spec {
    let (_, loss) = output_and_loss(&TrainConfig::default(), Task::Classification);
    let p = points.row(r.inspect);
    let mut target = vec![0.0; classes];
    if let Some(hot) = labels.get(r.inspect).and_then(|&c| target.get_mut(c)) {
        *hot = 1.0;
    }
    Spec {
        inputs: 2,
        layers: net
            .layers
            .iter()
            .map(|l| LayerSpec {
                size: l.size(),
                activation: l.activation,
                weights: Some(l.weights.to_rows_f64()),
                bias: Some(l.bias.to_f64()),
                init: None,
                train_bias: None,
            })
            .collect(),
        loss,
        learning_rate: r.learning_rate,
        // The playground trains by plain gradient descent.
        optimizer: None,
        train_bias: true,
        order: Order::Textbook,
        seed: None,
        samples: vec![Sample {
            input: vec![f64::from(p[0]), f64::from(p[1])],
            target,
        }],
    }
}
