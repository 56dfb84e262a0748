//! Pinning the instruction set: training with the automatic choice gives the same bits
//! as with the widest set this CPU supports pinned; each set is deterministic; the
//! plain code agrees with the vector kernels to rounding; a set the CPU lacks is
//! refused. Its own test binary, as the setting is global to the process.

use backprop::{set_simd, simd, Activation, Bias, Dense, Loss, Matrix, Network, Order, Sgd, Simd};

/// Deterministic values in [−scale, scale].
fn values(n: usize, seed: u64, scale: f32) -> Vec<f32> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((x >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0) * scale
        })
        .collect()
}

/// A 64-96-10 tanh/softmax network trained 5 steps on a batch of 64: products large
/// enough for the blocked kernel. Returns its weights, every layer's in a row.
fn train() -> Vec<f32> {
    let layer = |fan_in: usize, size: usize, act, seed| Dense {
        weights: Matrix::from_vec(size, fan_in, values(size * fan_in, seed, 0.3)).unwrap(),
        bias: Bias::PerNeuron(values(size, seed + 1, 0.1)),
        activation: act,
        train_bias: true,
    };
    let mut net = Network {
        inputs: 64,
        layers: vec![
            layer(64, 96, Activation::Tanh, 1),
            layer(96, 10, Activation::Softmax, 3),
        ],
        loss: Loss::CrossEntropy,
    };
    let x = Matrix::from_vec(64, 64, values(64 * 64, 7, 1.0)).unwrap();
    let mut t = Matrix::zeros(64, 10);
    for s in 0..64 {
        t.as_mut_slice()[s * 10 + s % 10] = 1.0;
    }
    let mut ws = net.workspace(64);
    let mut sgd = Sgd { learning_rate: 0.1 };
    for _ in 0..5 {
        net.train_step(&mut ws, &x, &t, Order::Textbook, &mut sgd, &mut ())
            .unwrap();
    }
    net.layers
        .iter()
        .flat_map(|l| l.weights.as_slice().to_vec())
        .collect()
}

#[test]
fn a_pinned_set_gives_its_own_bits_and_the_automatic_choice_is_the_widest() {
    set_simd(None).unwrap();
    assert_eq!(simd(), Simd::widest());
    let automatic = train();
    let mut by_set = Vec::new();
    for s in Simd::ALL {
        if !s.supported() {
            // A set the CPU lacks is refused, naming the ones it has.
            let e = set_simd(Some(s)).unwrap_err().to_string();
            assert!(e.contains("this CPU cannot run"), "{e}");
            continue;
        }
        set_simd(Some(s)).unwrap();
        assert_eq!(simd(), s);
        let first = train();
        assert_eq!(first, train(), "{s:?} is not deterministic");
        by_set.push((s, first));
    }
    let widest = &by_set.iter().find(|(s, _)| *s == Simd::widest()).unwrap().1;
    assert_eq!(
        &automatic, widest,
        "the automatic choice is not the widest set's bits"
    );
    // Every set computes the same training to rounding: the plain loops check the kernels.
    let (_, plain) = &by_set[0];
    for (s, w) in &by_set {
        for (a, b) in plain.iter().zip(w) {
            assert!(
                (a - b).abs() <= 1e-4 * a.abs().max(1.0),
                "{s:?}: {a} vs {b}"
            );
        }
    }
    set_simd(None).unwrap();
}
