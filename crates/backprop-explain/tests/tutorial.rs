//! Every number of the tutorial, as given in `shared/reference/seed-example.md`
//! (recomputed in float64 from Matt Mazur's "A Step by Step Backpropagation Example"),
//! read from the engine's own training path through the explainer's recorder.

use backprop::Order;
use backprop_explain::Spec;
use backprop_explain::{explain, Explanation, Options};

fn run(order: Order) -> Explanation {
    let options = Options {
        rounds: 10_000,
        show: 1,
        order: Some(order),
    };
    explain(&Spec::tutorial(), options).expect("the tutorial runs")
}

/// Equal to 9 decimals, as the reference prints them.
#[track_caller]
fn close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() <= 5e-10,
        "expected {expected:.9}, got {actual:.12}"
    );
}

/// Equal to the 12 significant digits the reference gives for losses.
#[track_caller]
fn close_relative(actual: f64, expected: f64) {
    assert!(
        ((actual - expected) / expected).abs() <= 1e-11,
        "expected {expected:e}, got {actual:e}"
    );
}

#[test]
fn the_shipped_example_file_is_the_tutorials_network() {
    let spec = Spec::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/tutorial.json"
    )))
    .unwrap();
    assert_eq!(spec, Spec::tutorial());
}

#[test]
fn one_round_forward_pass_and_error() {
    for order in [Order::Textbook, Order::Published] {
        let ex = run(order);
        let r = &ex.rounds[0];
        let (h, o) = (&r.layers[0], &r.layers[1]);
        close(h.net[0][0], 0.377500000); // net_h1
        close(h.out[0][0], 0.593269992); // out_h1
        close(h.net[0][1], 0.392500000); // net_h2
        close(h.out[0][1], 0.596884378); // out_h2
        close(o.net[0][0], 1.105905967); // net_o1
        close(o.out[0][0], 0.751365070); // out_o1
        close(o.net[0][1], 1.224921404); // net_o2
        close(o.out[0][1], 0.772928465); // out_o2
        close(r.loss_terms[0][0], 0.274811083); // E_o1
        close(r.loss_terms[0][1], 0.023560026); // E_o2
        close(r.loss, 0.298371109); // E_total
    }
}

#[test]
fn one_round_output_layer_gradients_and_updates() {
    for order in [Order::Textbook, Order::Published] {
        let o = &run(order).rounds[0].layers[1];
        let d_act = o.d_act.as_ref().expect("sigmoid is element-wise");
        close(o.d_out[0][0], 0.741365070); // ∂E_total/∂out_o1
        close(d_act[0][0], 0.186815602); // ∂out_o1/∂net_o1
        close(o.input[0][0], 0.593269992); // ∂net_o1/∂w5 = out_h1
        close(o.d_net[0][0], 0.138498562); // δ_o1
        close(o.grad_weights[0][0], 0.082167041); // ∂E_total/∂w5
        close(o.grad_weights[0][1], 0.082667628); // ∂E_total/∂w6
        close(o.d_out[0][1], -0.217071535); // ∂E_total/∂out_o2
        close(d_act[0][1], 0.175510053); // ∂out_o2/∂net_o2
        close(o.d_net[0][1], -0.038098237); // δ_o2
        close(o.grad_weights[1][0], -0.022602540); // ∂E_total/∂w7
        close(o.grad_weights[1][1], -0.022740242); // ∂E_total/∂w8
        close(o.weights_after[0][0], 0.358916480); // w5⁺
        close(o.weights_after[0][1], 0.408666186); // w6⁺
        close(o.weights_after[1][0], 0.511301270); // w7⁺
        close(o.weights_after[1][1], 0.561370121); // w8⁺
    }
}

#[test]
fn one_round_hidden_layer_in_textbook_order() {
    let r = &run(Order::Textbook).rounds[0];
    let (h, o) = (&r.layers[0], &r.layers[1]);
    // ∂E_o1/∂out_h1 = δ_o1 · w5 and ∂E_o2/∂out_h1 = δ_o2 · w7, with the original weights.
    close(o.d_net[0][0] * o.weights_before[0][0], 0.055399425);
    close(o.d_net[0][1] * o.weights_before[1][0], -0.019049118);
    close(o.d_net[0][0] * o.weights_before[0][1], 0.062324353); // ∂E_o1/∂out_h2
    close(o.d_net[0][1] * o.weights_before[1][1], -0.020954030); // ∂E_o2/∂out_h2
    let d_act = h.d_act.as_ref().unwrap();
    close(h.d_out[0][0], 0.036350306); // ∂E_total/∂out_h1
    close(d_act[0][0], 0.241300709); // ∂out_h1/∂net_h1
    close(h.input[0][0], 0.050000000); // ∂net_h1/∂w1 = i1
    close(h.grad_weights[0][0], 0.000438568); // ∂E_total/∂w1
    close(h.grad_weights[0][1], 0.000877135); // ∂E_total/∂w2
    close(h.d_out[0][1], 0.041370323); // ∂E_total/∂out_h2
    close(d_act[0][1], 0.240613417); // ∂out_h2/∂net_h2
    close(h.grad_weights[1][0], 0.000497713); // ∂E_total/∂w3
    close(h.grad_weights[1][1], 0.000995425); // ∂E_total/∂w4
    close(h.weights_after[0][0], 0.149780716); // w1⁺
    close(h.weights_after[0][1], 0.199561432); // w2⁺
    close(h.weights_after[1][0], 0.249751144); // w3⁺
    close(h.weights_after[1][1], 0.299502287); // w4⁺
                                               // The article freezes the biases.
    assert_eq!(h.bias_after, h.bias_before);
    assert_eq!(o.bias_after, o.bias_before);
}

#[test]
fn published_order_sends_the_error_down_through_the_updated_weights() {
    let r = &run(Order::Published).rounds[0];
    let (h, o) = (&r.layers[0], &r.layers[1]);
    // ∂E/∂out_h1 = δ_o1 · w5⁺ + δ_o2 · w7⁺, so it differs from the textbook 0.036350306.
    let expected = o.d_net[0][0] * o.weights_after[0][0] + o.d_net[0][1] * o.weights_after[1][0];
    close(h.d_out[0][0], expected);
    assert!((h.d_out[0][0] - 0.036350306).abs() > 1e-3);
}

struct Table {
    rows: [(usize, f64, f64, f64); 5],
    weights: [f64; 8],
}

fn check_table(order: Order, table: Table) {
    let ex = run(order);
    assert_eq!(ex.milestones.len(), 5);
    for (m, &(round, loss, o1, o2)) in ex.milestones.iter().zip(&table.rows) {
        assert_eq!(m.round, round);
        close_relative(m.loss, loss);
        close(m.outputs[0][0], o1);
        close(m.outputs[0][1], o2);
    }
    let p = &ex.milestones[4].params;
    let w = [
        p[0].weights[0][0],
        p[0].weights[0][1],
        p[0].weights[1][0],
        p[0].weights[1][1],
        p[1].weights[0][0],
        p[1].weights[0][1],
        p[1].weights[1][0],
        p[1].weights[1][1],
    ];
    for (actual, expected) in w.into_iter().zip(table.weights) {
        close(actual, expected);
    }
}

#[test]
fn many_rounds_in_textbook_order() {
    check_table(
        Order::Textbook,
        Table {
            rows: [
                (1, 0.291027773694, 0.742088111, 0.775284968),
                (10, 0.220918592054, 0.645173728, 0.794062461),
                (100, 0.0200468282494, 0.175807142, 0.877742937),
                (1000, 0.00111434945373, 0.044052885, 0.957302907),
                (10000, 3.51018778298e-05, 0.015913620, 0.984064274),
            ],
            weights: [
                0.378509988,
                0.657019977,
                0.477300706,
                0.754601411,
                -3.892977199,
                -3.868416688,
                2.861810949,
                2.925688967,
            ],
        },
    );
}

#[test]
fn many_rounds_in_published_order_reproduce_the_articles_figures() {
    check_table(
        Order::Published,
        Table {
            rows: [
                (1, 0.291027923905, 0.742088438, 0.775285385),
                (10, 0.220916337458, 0.645171678, 0.794067321),
                (100, 0.0200397519508, 0.175775668, 0.877759491),
                (1000, 0.00111394043394, 0.044046562, 0.957308832),
                (10000, 3.50847862963e-05, 0.015912196, 0.984065734),
            ],
            weights: [
                0.379919183,
                0.659838366,
                0.478714036,
                0.757428072,
                -3.892519004,
                -3.867953043,
                2.861489890,
                2.925364277,
            ],
        },
    );
}

#[test]
fn the_comparison_holds_the_other_orders_table() {
    let ex = run(Order::Textbook);
    assert_eq!(ex.comparison.order, Order::Published);
    // The article's published 10,000-round outputs (reference, second table).
    close(ex.comparison.milestones[4].outputs[0][0], 0.015912196);
    close(ex.comparison.milestones[4].outputs[0][1], 0.984065734);
}
