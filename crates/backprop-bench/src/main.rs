//! `backprop-bench`: one workload, timed inside the process, printed as one JSON
//! object for `bench/compare`. Start-up and data loading are not timed; training
//! figures are the training loop's own (`Trainer::run`'s in-loop seconds).
//!
//! It is a program of its own, beside `backprop` and not installed with it.

use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context};
use backprop::matrix::{matmul, matmul_a_bt, matmul_at_b};
use backprop::optim::OptimizerKind;
use backprop::{Activation, Matrix, Network, Order, Sgd};
use backprop_explain::Spec;
use backprop_io::input::{read_bounded, DATA_LIMIT};
use backprop_train::data::generate::uniform_classes;
use backprop_train::data::{Dataset, Targets};
use backprop_train::model_file::Model;
use backprop_train::{self as train, BatchSize, TrainConfig, Trainer};
use clap::{Parser, ValueEnum};
use serde_json::json;

/// What to run.
#[derive(Clone, Copy, ValueEnum)]
pub enum Workload {
    /// f32 C = A·B of --size square matrices through the engine's kernel.
    Matmul,
    /// The tutorial's 2-2-2 network, --rounds rounds of gradient descent in f64.
    Tutorial,
    /// Classification with --layers, plain SGD, softmax and cross-entropy, in f32.
    Train,
}

/// How a product's operands are stored.
#[derive(Clone, Copy, ValueEnum)]
pub enum Form {
    /// A·B, both as stored.
    Ab,
    /// A·Bᵀ: B stored transposed.
    Abt,
    /// Aᵀ·B: A stored transposed.
    Atb,
}

/// Times one workload of bench/compare and prints it as JSON.
#[derive(Parser)]
#[command(name = "backprop-bench", version)]
pub struct BenchArgs {
    /// The workload.
    #[arg(value_enum)]
    workload: Workload,
    /// Threads for the products (1 or 2); default: BACKPROP_THREADS, else the cores.
    #[arg(long)]
    threads: Option<usize>,
    /// matmul: the matrices' size.
    #[arg(long, default_value_t = 2048)]
    size: usize,
    /// matmul: M,K,N for an M×K by K×N product instead of --size's square one.
    #[arg(long, value_delimiter = ',', value_name = "M,K,N")]
    shape: Option<Vec<usize>>,
    /// matmul: how the operands are stored, as in a training step: `ab` (A·B, the
    /// error sent down, δ·W), `abt` (A·Bᵀ, the forward pass, X·Wᵀ) or `atb` (Aᵀ·B,
    /// the weight gradient, δᵀ·X).
    #[arg(long, value_enum, default_value = "ab")]
    form: Form,
    /// matmul: products timed (the median is reported).
    #[arg(long, default_value_t = 5)]
    repeat: usize,
    /// tutorial: rounds.
    #[arg(long, default_value_t = 10_000)]
    rounds: usize,
    /// train: layer sizes, input first.
    #[arg(long, value_delimiter = ',', default_value = "784,128,10")]
    layers: Vec<usize>,
    /// train: hidden activation.
    #[arg(long, default_value = "relu")]
    activation: Activation,
    /// train: batch size.
    #[arg(long, default_value_t = 64)]
    batch: usize,
    /// train: learning rate.
    #[arg(long, default_value_t = 0.1)]
    lr: f64,
    /// train: epochs.
    #[arg(long, default_value_t = 1)]
    epochs: usize,
    /// train: samples, when the data is generated here.
    #[arg(long, default_value_t = 60_000)]
    samples: usize,
    /// train: data written by bench/compare: PREFIX.x.f32 (little-endian f32 rows of
    /// the input width) and PREFIX.y.u8 (one class per sample).
    #[arg(long, value_name = "PREFIX")]
    data: Option<PathBuf>,
    /// Seed of the generated data, the weights and the epoch orders.
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

fn main() -> ExitCode {
    let args = BenchArgs::parse();
    match bench(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the workload and prints its JSON.
fn bench(args: &BenchArgs) -> anyhow::Result<()> {
    if let Some(t) = args.threads {
        backprop::set_threads(t);
    }
    let threads = backprop::threads();
    let mut report = match args.workload {
        Workload::Matmul => bench_matmul(args)?,
        Workload::Tutorial => bench_tutorial(args)?,
        Workload::Train => bench_train(args)?,
    };
    report["impl"] = json!("backprop");
    report["threads"] = json!(threads);
    report["peak_rss_mb"] = json!(peak_rss_mb());
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{report}")
        .and_then(|()| stdout.flush())
        .context("cannot write to standard output")
}

/// The process's peak resident memory (VmHWM), in MiB; `None` off Linux.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn bench_matmul(args: &BenchArgs) -> anyhow::Result<serde_json::Value> {
    let n = args.size;
    let (m, k, n) = match args.shape.as_deref() {
        Some(&[m, k, n]) => (m, k, n),
        Some(other) => anyhow::bail!("--shape takes three sizes, M,K,N; got {}", other.len()),
        None => (n, n, n),
    };
    let fill = |rows: usize, cols: usize, s: f32| {
        let data = (0..rows * cols).map(|i| ((i as f32) * s).sin()).collect();
        Matrix::from_vec(rows, cols, data).context("the matrices are too large")
    };
    let (a, b) = match args.form {
        Form::Ab => (fill(m, k, 0.37)?, fill(k, n, 0.11)?),
        Form::Abt => (fill(m, k, 0.37)?, fill(n, k, 0.11)?),
        Form::Atb => (fill(k, m, 0.37)?, fill(k, n, 0.11)?),
    };
    let mut c = Matrix::zeros(m, n);
    let product = |c: &mut Matrix<f32>| match args.form {
        Form::Ab => matmul(&a, &b, c),
        Form::Abt => matmul_a_bt(&a, &b, c),
        Form::Atb => matmul_at_b(&a, &b, c),
    };
    product(&mut c);
    let mut seconds: Vec<f64> = (0..args.repeat.max(1))
        .map(|_| {
            let start = Instant::now();
            product(&mut c);
            start.elapsed().as_secs_f64()
        })
        .collect();
    seconds.sort_by(f64::total_cmp);
    let median = seconds[seconds.len() / 2];
    Ok(json!({
        "workload": "matmul",
        "size": args.size,
        "shape": [m, k, n],
        "seconds": median,
        "gflops": 2.0 * (m * k * n) as f64 / median / 1e9,
    }))
}

fn bench_tutorial(args: &BenchArgs) -> anyhow::Result<serde_json::Value> {
    let spec = Spec::tutorial();
    let (x, t) = spec.batch::<f64>();
    let run = || -> anyhow::Result<(f64, f64)> {
        let mut net: Network<f64> = spec.network();
        let mut ws = net.workspace(x.rows());
        let mut sgd = Sgd {
            learning_rate: spec.learning_rate,
        };
        let start = Instant::now();
        let mut loss = 0.0;
        for _ in 0..args.rounds {
            loss = net.train_step(&mut ws, &x, &t, Order::Textbook, &mut sgd, &mut ())?;
        }
        Ok((start.elapsed().as_secs_f64(), loss))
    };
    run()?; // warm-up
    let (seconds, loss) = run()?;
    Ok(json!({
        "workload": "tutorial",
        "rounds": args.rounds,
        "seconds": seconds,
        "steps_per_second": args.rounds as f64 / seconds,
        "loss": loss,
    }))
}

fn bench_train(args: &BenchArgs) -> anyhow::Result<serde_json::Value> {
    let activation = args.activation;
    if args.layers.len() < 2 {
        bail!("--layers needs an input and an output size");
    }
    let (width, classes) = (args.layers[0], args.layers[args.layers.len() - 1]);
    let data = match &args.data {
        Some(prefix) => read_data(prefix, width, classes)?,
        None => uniform_classes(args.samples, width, classes, args.seed),
    };
    let mut config = TrainConfig::default();
    config.model.layers = args.layers.clone();
    config.model.activation = activation;
    config.training.optimizer.kind = OptimizerKind::Sgd;
    config.training.optimizer.learning_rate = args.lr;
    config.training.batch_size = BatchSize::Samples(args.batch);
    config.training.seed = args.seed;
    let fit = |data: &Dataset, epochs: usize| -> anyhow::Result<Trainer> {
        let mut config = config.clone();
        config.training.epochs = epochs;
        let net = train::build_network(&config, data.task(), width, classes)?;
        let template = Model::untitled(&net, data.task());
        let mut trainer = Trainer::new(net, config)?;
        let empty = data.subset(&[]);
        trainer.run(data, &empty, &mut (), None, &template)?;
        Ok(trainer)
    };
    // Warm-up on a few batches: starts the helper thread and touches the code.
    let few: Vec<usize> = (0..data.len().min(20 * args.batch)).collect();
    fit(&data.subset(&few), 1)?;
    let trainer = fit(&data, args.epochs)?;
    let history = &trainer.position.history;
    let seconds: f64 = history.iter().map(|r| r.seconds).sum();
    let samples = data.len() * args.epochs;
    let weights: usize = trainer
        .network
        .layers
        .iter()
        .map(|l| l.weights.as_slice().len())
        .sum();
    let flops_per_sample = 6.0 * weights as f64;
    Ok(json!({
        "workload": "train",
        "layers": args.layers,
        "batch": args.batch,
        "samples": samples,
        "seconds": seconds,
        "samples_per_second": samples as f64 / seconds,
        "gflops": flops_per_sample * samples as f64 / seconds / 1e9,
        "loss": history.last().map(|r| r.train_loss),
        "weights_fnv1a": fingerprint(&trainer.network),
    }))
}

/// FNV-1a over the bits of every parameter: equal runs give equal fingerprints.
fn fingerprint(net: &Network<f32>) -> String {
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for layer in &net.layers {
        for x in layer.weights.as_slice().iter().chain(layer.bias.as_slice()) {
            for byte in x.to_bits().to_le_bytes() {
                hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    format!("{hash:016x}")
}

fn dataset(features: Matrix<f32>, labels: Vec<usize>, classes: usize) -> Dataset {
    Dataset {
        source: "bench".into(),
        feature_names: (0..features.cols()).map(|i| format!("x{i}")).collect(),
        features,
        targets: Targets::Classes {
            labels,
            names: (0..classes).map(|c| c.to_string()).collect(),
        },
    }
}

/// Reads PREFIX.x.f32 and PREFIX.y.u8, converting in chunks so that the features are
/// held once.
fn read_data(prefix: &Path, width: usize, classes: usize) -> anyhow::Result<Dataset> {
    let with = |ext: &str| {
        let mut p = prefix.as_os_str().to_owned();
        p.push(ext);
        PathBuf::from(p)
    };
    let (x_path, y_path) = (with(".x.f32"), with(".y.u8"));
    let labels: Vec<usize> = read_bounded(&y_path, DATA_LIMIT, "a label file")?
        .into_iter()
        .map(usize::from)
        .collect();
    if labels.iter().any(|&c| c >= classes) {
        bail!("{}: a class is not below {classes}", y_path.display());
    }
    let n = labels.len();
    // Only a regular file is opened: a device or a FIFO would be read forever.
    let kind = std::fs::metadata(&x_path)
        .with_context(|| format!("cannot read {}", x_path.display()))?
        .file_type();
    if !kind.is_file() {
        bail!(
            "{}: expected a regular file of f32 values",
            x_path.display()
        );
    }
    let file = std::fs::File::open(&x_path)
        .with_context(|| format!("cannot read {}", x_path.display()))?;
    if file.metadata()?.len() != (n * width * 4) as u64 {
        bail!(
            "{}: expected {n} rows of {width} f32 values",
            x_path.display()
        );
    }
    let mut reader = BufReader::new(file);
    let mut x = Vec::with_capacity(n * width);
    let mut chunk = vec![0u8; 1 << 16];
    while x.len() < n * width {
        let want = ((n * width - x.len()) * 4).min(chunk.len());
        reader.read_exact(&mut chunk[..want])?;
        x.extend(
            chunk[..want]
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
        );
    }
    let features = Matrix::from_vec(n, width, x).context("the features do not fill n × width")?;
    Ok(dataset(features, labels, classes))
}
