//! Seeded 2-D toy datasets, as in TensorFlow Playground and scikit-learn's `make_*`.
//!
//! Every generator lays out clean points, adds Gaussian noise with standard deviation
//! `noise` to both coordinates, and shuffles the samples. The same options always give
//! the same data.

use std::f64::consts::PI;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Normal, StandardNormal};
use rand_pcg::Pcg64;

use super::{Dataset, Targets};
use backprop::matrix::Matrix;

/// The names [`generate`] knows.
pub const GENERATORS: [&str; 5] = ["moons", "circles", "spiral", "blobs", "xor"];

/// Uniform features in [0, 1) and uniform classes from a xorshift stream of `seed`: the
/// data of the speed benchmarks, cheap to make at any size and simple to reproduce in
/// another language.
pub fn uniform_classes(samples: usize, width: usize, classes: usize, seed: u64) -> Dataset {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let x = (0..samples * width)
        .map(|_| (next() >> 40) as f32 / (1u64 << 24) as f32)
        .collect();
    let classes = classes.max(1);
    let labels = (0..samples).map(|_| next() as usize % classes).collect();
    Dataset {
        source: "uniform".into(),
        features: Matrix::from_vec(samples, width, x).unwrap_or_else(|| Matrix::zeros(0, width)),
        feature_names: (0..width).map(|i| format!("x{i}")).collect(),
        targets: Targets::Classes {
            labels,
            names: (0..classes).map(|c| c.to_string()).collect(),
        },
    }
}

/// The radius of the inner circle relative to the outer one (scikit-learn's `factor`).
const CIRCLES_FACTOR: f64 = 0.5;
/// Turns each spiral arm makes (as in TensorFlow Playground).
const SPIRAL_TURNS: f64 = 1.75;
/// The spread of each blob before `noise` is added.
const BLOB_SPREAD: f64 = 0.3;

/// How many samples, how noisy, and which random stream.
#[derive(Clone, Debug, PartialEq)]
pub struct GeneratorOptions {
    /// Number of samples, split as evenly as possible between the classes.
    pub samples: usize,
    /// Standard deviation of the Gaussian noise added to each coordinate.
    pub noise: f64,
    /// Seed of the random stream.
    pub seed: u64,
}

impl Default for GeneratorOptions {
    fn default() -> Self {
        Self {
            samples: 200,
            noise: 0.1,
            seed: 0,
        }
    }
}

/// A generated dataset, or `None` when `name` is not in [`GENERATORS`] or `noise` is
/// negative or not finite.
///
/// - `moons`: two interleaving half circles of radius 1 (scikit-learn's `make_moons`).
/// - `circles`: a circle of radius 1 around one of radius 0.5 (`make_circles`).
/// - `spiral`: two interleaved spirals of 1.75 turns growing from the origin to radius 1.
/// - `blobs`: three Gaussian blobs (spread 0.3) centred on a triangle inscribed in the
///   unit circle; 3 classes.
/// - `xor`: points uniform in [-1, 1]², class `"1"` when x·y ≥ 0 (labelled before noise).
///
/// Features are `x1`, `x2`; classes `"0"`, `"1"` (and `"2"` for blobs). The first class
/// gets the smaller share when the samples do not divide evenly.
pub fn generate(name: &str, options: &GeneratorOptions) -> Option<Dataset> {
    let noise = Normal::new(0.0, options.noise)
        .ok()
        .filter(|_| options.noise >= 0.0)?;
    let mut rng = Pcg64::seed_from_u64(options.seed);
    let n = options.samples;
    let (points, classes) = match name {
        "moons" => (moons(n), 2),
        "circles" => (circles(n), 2),
        "spiral" => (spiral(n), 2),
        "blobs" => (blobs(n, &mut rng), 3),
        "xor" => (xor(n, &mut rng), 2),
        _ => return None,
    };
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.shuffle(&mut rng);
    let mut features = Vec::with_capacity(2 * n);
    let mut labels = Vec::with_capacity(n);
    for &i in &order {
        let ([x, y], label) = points[i];
        features.push((x + noise.sample(&mut rng)) as f32);
        features.push((y + noise.sample(&mut rng)) as f32);
        labels.push(label);
    }
    Some(Dataset {
        source: name.to_string(),
        features: Matrix::from_vec(n, 2, features)?,
        feature_names: vec!["x1".to_string(), "x2".to_string()],
        targets: Targets::Classes {
            labels,
            names: (0..classes).map(|c| c.to_string()).collect(),
        },
    })
}

/// A clean point and its class.
type Point = ([f64; 2], usize);

/// How many of `n` samples class `c` of `k` gets (later classes take the remainder).
fn share(n: usize, c: usize, k: usize) -> usize {
    n / k + usize::from(c >= k - n % k)
}

/// `i / (n - 1)`: evenly spaced from 0 to 1 inclusive, like `numpy.linspace`.
fn fraction(i: usize, n: usize) -> f64 {
    if n <= 1 {
        0.0
    } else {
        i as f64 / (n - 1) as f64
    }
}

fn moons(n: usize) -> Vec<Point> {
    let upper = (0..share(n, 0, 2)).map(|i| {
        let t = PI * fraction(i, share(n, 0, 2));
        ([t.cos(), t.sin()], 0)
    });
    let lower = (0..share(n, 1, 2)).map(|i| {
        let t = PI * fraction(i, share(n, 1, 2));
        ([1.0 - t.cos(), 0.5 - t.sin()], 1)
    });
    upper.chain(lower).collect()
}

fn circles(n: usize) -> Vec<Point> {
    (0..2)
        .flat_map(|c| {
            let k = share(n, c, 2);
            let radius = if c == 0 { 1.0 } else { CIRCLES_FACTOR };
            // Angles without the endpoint, so no point is doubled at 2π.
            (0..k).map(move |i| {
                let t = 2.0 * PI * i as f64 / k as f64;
                ([radius * t.cos(), radius * t.sin()], c)
            })
        })
        .collect()
}

fn spiral(n: usize) -> Vec<Point> {
    (0..2)
        .flat_map(|c| {
            let k = share(n, c, 2);
            (0..k).map(move |i| {
                let r = i as f64 / k as f64;
                let t = SPIRAL_TURNS * 2.0 * PI * r + PI * c as f64;
                ([r * t.sin(), r * t.cos()], c)
            })
        })
        .collect()
}

fn blobs(n: usize, rng: &mut Pcg64) -> Vec<Point> {
    let mut points = Vec::with_capacity(n);
    for c in 0..3 {
        let angle = PI / 2.0 + 2.0 * PI * c as f64 / 3.0;
        for _ in 0..share(n, c, 3) {
            let x = angle.cos() + BLOB_SPREAD * rng.sample::<f64, _>(StandardNormal);
            let y = angle.sin() + BLOB_SPREAD * rng.sample::<f64, _>(StandardNormal);
            points.push(([x, y], c));
        }
    }
    points
}

fn xor(n: usize, rng: &mut Pcg64) -> Vec<Point> {
    (0..n)
        .map(|_| {
            let x: f64 = rng.gen_range(-1.0..=1.0);
            let y: f64 = rng.gen_range(-1.0..=1.0);
            ([x, y], usize::from(x * y >= 0.0))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(d: &Dataset) -> &[usize] {
        match &d.targets {
            Targets::Classes { labels, .. } => labels,
            Targets::Values { .. } => panic!("expected classes"),
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_data_and_another_seed_other_data() {
        for name in GENERATORS {
            let options = GeneratorOptions::default();
            let a = generate(name, &options).unwrap();
            let b = generate(name, &options).unwrap();
            assert_eq!(a, b, "{name}");
            let c = generate(name, &GeneratorOptions { seed: 1, ..options }).unwrap();
            assert_ne!(a.features, c.features, "{name}");
        }
    }

    #[test]
    fn shapes_names_and_class_sizes() {
        let options = GeneratorOptions {
            samples: 101,
            ..GeneratorOptions::default()
        };
        for name in GENERATORS {
            let d = generate(name, &options).unwrap();
            assert_eq!((d.len(), d.width()), (101, 2), "{name}");
            assert_eq!(d.feature_names, ["x1", "x2"]);
            assert_eq!(d.source, name);
            let classes = if name == "blobs" { 3 } else { 2 };
            assert_eq!(d.outputs(), classes, "{name}");
            assert!(d.features.as_slice().iter().all(|v| v.is_finite()));
            let mut counts = vec![0; classes];
            labels(&d).iter().for_each(|&l| counts[l] += 1);
            if name == "blobs" {
                assert_eq!(counts, [33, 34, 34]);
            } else if name != "xor" {
                assert_eq!(counts, [50, 51], "{name}");
            }
        }
    }

    #[test]
    fn without_noise_the_points_lie_on_their_curves() {
        let options = GeneratorOptions {
            noise: 0.0,
            ..GeneratorOptions::default()
        };
        let circles = generate("circles", &options).unwrap();
        for (i, &l) in labels(&circles).iter().enumerate() {
            let r = circles
                .features
                .row(i)
                .iter()
                .map(|v| v * v)
                .sum::<f32>()
                .sqrt();
            assert!((r - [1.0, 0.5][l]).abs() < 1e-5);
        }
        let xor = generate("xor", &options).unwrap();
        for (i, &l) in labels(&xor).iter().enumerate() {
            let p = xor.features.row(i);
            assert_eq!(l == 1, p[0] * p[1] >= 0.0);
            assert!(p.iter().all(|v| v.abs() <= 1.0));
        }
        let moons = generate("moons", &options).unwrap();
        for (i, &l) in labels(&moons).iter().enumerate() {
            let p = moons.features.row(i);
            let centre = [[0.0, 0.0], [1.0, 0.5]][l];
            let r = ((p[0] - centre[0]).powi(2) + (p[1] - centre[1]).powi(2)).sqrt();
            assert!((r - 1.0).abs() < 1e-5);
        }
    }

    #[test]
    fn unknown_names_and_bad_noise_give_none() {
        let bad = |noise| GeneratorOptions {
            noise,
            ..GeneratorOptions::default()
        };
        assert!(generate("spirals", &GeneratorOptions::default()).is_none());
        assert!(generate("moons", &bad(-0.1)).is_none());
        assert!(generate("moons", &bad(f64::NAN)).is_none());
        assert!(generate("moons", &bad(f64::INFINITY)).is_none());
    }

    #[test]
    fn zero_samples_give_an_empty_dataset() {
        let options = GeneratorOptions {
            samples: 0,
            ..GeneratorOptions::default()
        };
        assert!(generate("spiral", &options).unwrap().is_empty());
    }
}
