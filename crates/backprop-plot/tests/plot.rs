//! The plots: files come out complete and well-formed, in the format the name asks
//! for, and bad arguments are refused before anything is written.

use std::path::{Path, PathBuf};

use backprop::{Error, Matrix};
use backprop_plot::{self as plot, Curve, Panel};

/// A fresh, empty directory for one test in the target's scratch space; the files
/// stay there for inspection after the test.
fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The text of every `<text>` element.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..t.find("</text>")?];
            Some(body.trim().to_string())
        })
        .collect()
}

fn has_text(svg: &str, text: &str) -> bool {
    svg_texts(svg).iter().any(|t| t == text)
}

fn training_panels() -> Vec<Panel> {
    let curve = |label: &str, f: &dyn Fn(f64) -> f64| Curve {
        label: label.into(),
        points: (1..=30).map(|e| (e as f64, f(e as f64))).collect(),
    };
    let mut validation = curve("validation", &|e| 0.8 / e.sqrt() + 0.1);
    validation.points[12].1 = f64::NAN; // a gap, not a crash
    validation.points[20].1 = f64::INFINITY;
    vec![
        Panel {
            title: "Loss".into(),
            y_label: "loss".into(),
            curves: vec![curve("train", &|e| 1.0 / e), validation],
        },
        Panel {
            title: "Accuracy".into(),
            y_label: "accuracy".into(),
            curves: vec![
                curve("train", &|e| 1.0 - 0.5 / e),
                curve("validation", &|e| 0.95 - 0.5 / e),
            ],
        },
    ]
}

/// Width, height and the RGB pixels of a PNG, decoded by the `png` crate (which
/// checks the signature, every chunk's CRC and the pixel data's length), after
/// checking that it is 8-bit RGB.
fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut reader = png::Decoder::new(bytes).read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(
        (frame.color_type, frame.bit_depth),
        (png::ColorType::Rgb, png::BitDepth::Eight),
        "8-bit RGB"
    );
    pixels.truncate(frame.buffer_size());
    (frame.width, frame.height, pixels)
}

#[test]
fn curves_are_written_as_svg_with_their_labels() {
    let path = scratch("curves_svg").join("training.svg");
    plot::curves(&path, &training_panels(), "epoch").unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(svg.starts_with("<svg") || svg.starts_with("<?xml"));
    assert!(svg.trim_end().ends_with("</svg>"));
    for text in [
        "train",
        "validation",
        "Loss",
        "Accuracy",
        "loss",
        "accuracy",
        "epoch",
    ] {
        assert!(has_text(&svg, text), "{text} is missing");
    }
}

#[test]
fn curves_are_written_as_png_of_the_expected_size() {
    let path = scratch("curves_png").join("training.PNG"); // the case does not matter
    plot::curves(&path, &training_panels(), "epoch").unwrap();
    let (width, height, pixels) = decode_png(&std::fs::read(&path).unwrap());
    assert_eq!((width, height), (900, 760));
    // Not a blank page: text and lines leave dark pixels.
    assert!(pixels.chunks(3).any(|p| p.iter().all(|&c| c < 100)));
}

#[test]
fn empty_and_non_finite_curves_still_draw() {
    let dir = scratch("curves_degenerate");
    let panels = [
        Panel {
            title: String::new(),
            y_label: "loss".into(),
            curves: vec![Curve {
                label: "diverged".into(),
                points: vec![(1.0, f64::NAN), (f64::NAN, 1.0), (2.0, f64::NEG_INFINITY)],
            }],
        },
        Panel {
            title: "nothing".into(),
            y_label: "y".into(),
            curves: vec![],
        },
        Panel {
            title: "one point".into(),
            y_label: "y".into(),
            curves: vec![Curve {
                label: "single".into(),
                points: vec![(3.0, 0.5)],
            }],
        },
    ];
    plot::curves(&dir.join("odd.svg"), &panels, "step").unwrap();
    plot::curves(&dir.join("odd.png"), &panels, "step").unwrap();
    let svg = std::fs::read_to_string(dir.join("odd.svg")).unwrap();
    assert!(has_text(&svg, "diverged") && has_text(&svg, "single"));
}

fn assert_data_error(result: backprop::Result<()>, path: &Path, expected: &str) {
    match result {
        Err(Error::Data {
            path: p,
            line: None,
            column: None,
            message,
        }) => {
            assert_eq!(p, path);
            assert!(message.contains(expected), "{message:?} lacks {expected:?}");
        }
        other => panic!("expected Error::Data, got {other:?}"),
    }
}

#[test]
fn other_extensions_are_refused_before_anything_is_written() {
    let dir = scratch("unknown_extension");
    for name in ["plot.jpg", "plot", "plot.svg.txt"] {
        let path = dir.join(name);
        let result = plot::curves(&path, &training_panels(), "epoch");
        assert_data_error(
            result,
            &path,
            "unknown image format: name the file .svg or .png",
        );
        let mut called = false;
        let result = plot::boundary(&path, &xor_points().0, &xor_points().1, &[], &mut |_| {
            called = true;
            vec![]
        });
        assert_data_error(
            result,
            &path,
            "unknown image format: name the file .svg or .png",
        );
        assert!(!called);
    }
    let err = plot::curves(&dir.join("plot.gif"), &training_panels(), "epoch").unwrap_err();
    assert!(err
        .to_string()
        .ends_with(": unknown image format: name the file .svg or .png"));
    assert!(files_in(&dir).is_empty());
}

#[test]
fn no_panels_is_an_error() {
    let path = scratch("no_panels").join("empty.svg");
    assert_data_error(plot::curves(&path, &[], "epoch"), &path, "no panels");
    assert!(!path.exists());
}

#[test]
fn writing_into_a_missing_directory_fails_cleanly() {
    let dir = scratch("missing_dir");
    let path = dir.join("not").join("there").join("plot.png");
    // Refused before drawing, as an output that cannot be written.
    match plot::curves(&path, &training_panels(), "epoch") {
        Err(e @ Error::Output { .. }) => assert_eq!(
            e.to_string(),
            format!(
                "{}: the directory {} does not exist",
                path.display(),
                dir.join("not").join("there").display()
            )
        ),
        other => panic!("expected Error::Output, got {other:?}"),
    }
    let (points, labels) = xor_points();
    let result = plot::boundary(&path, &points, &labels, &[], &mut by_quadrant);
    assert!(matches!(result, Err(Error::Output { .. })));
    assert!(!path.exists());
    assert!(
        files_in(&dir).is_empty(),
        "left behind: {:?}",
        files_in(&dir)
    );
}

#[test]
fn an_existing_plot_is_replaced_without_leftovers() {
    let dir = scratch("replace");
    let path = dir.join("plot.svg");
    std::fs::write(&path, "old").unwrap();
    plot::curves(&path, &training_panels(), "epoch").unwrap();
    plot::curves(&path, &training_panels(), "epoch").unwrap();
    assert!(has_text(
        &std::fs::read_to_string(&path).unwrap(),
        "validation"
    ));
    assert_eq!(files_in(&dir), ["plot.svg"]);
}

/// Points in the four quadrants, labelled by the sign of x·y (an XOR).
fn xor_points() -> (Matrix<f32>, Vec<usize>) {
    let mut data = Vec::new();
    let mut labels = Vec::new();
    for i in 0..60 {
        let a = i as f32 * 0.7;
        let (x, y) = (0.3 + 1.7 * (a.sin().abs()), 0.3 + 1.7 * (a.cos().abs()));
        for (sx, sy) in [(1.0, 1.0), (-1.0, 1.0), (-1.0, -1.0), (1.0, -1.0)] {
            data.extend([sx * x, sy * y]);
            labels.push(usize::from(sx * sy < 0.0));
        }
    }
    (Matrix::from_vec(labels.len(), 2, data).unwrap(), labels)
}

fn by_quadrant(grid: &Matrix<f32>) -> Vec<usize> {
    (0..grid.rows())
        .map(|i| usize::from(grid.get(i, 0) * grid.get(i, 1) < 0.0))
        .collect()
}

#[test]
fn decision_regions_are_drawn_from_one_classifier_call() {
    let dir = scratch("boundary");
    let (points, labels) = xor_points();
    let names = ["same sign".to_string(), "opposite signs".to_string()];
    for name in ["xor.svg", "xor.png"] {
        let mut calls = Vec::new();
        plot::boundary(&dir.join(name), &points, &labels, &names, &mut |grid| {
            calls.push((grid.rows(), grid.cols()));
            by_quadrant(grid)
        })
        .unwrap();
        assert_eq!(calls.len(), 1, "classify is called once");
        assert_eq!(calls[0].1, 2);
        assert!(
            calls[0].0 >= 100 * 100,
            "a fine grid, got {} points",
            calls[0].0
        );
    }
    let svg = std::fs::read_to_string(dir.join("xor.svg")).unwrap();
    assert!(svg.starts_with("<svg") || svg.starts_with("<?xml"));
    assert!(has_text(&svg, "same sign") && has_text(&svg, "opposite signs"));
    assert!(
        svg.len() < 1_000_000,
        "regions are merged, not one rect a cell"
    );

    let (width, height, pixels) = decode_png(&std::fs::read(dir.join("xor.png")).unwrap());
    let at = |x: u32, y: u32| {
        let i = (y * width + x) as usize * 3;
        &pixels[i..i + 3]
    };
    // The centres of the quadrants: diagonal ones share a region colour.
    let (l, r, t, b) = (width / 4, width * 3 / 4, height / 4, height * 3 / 4);
    assert_eq!(at(l, t), at(r, b));
    assert_eq!(at(r, t), at(l, b));
    assert_ne!(at(l, t), at(r, t));
}

#[test]
fn decision_regions_need_two_columns() {
    let path = scratch("three_columns").join("plot.svg");
    let points = Matrix::from_vec(2, 3, vec![0.0f32; 6]).unwrap();
    let mut called = false;
    let result = plot::boundary(&path, &points, &[0, 1], &[], &mut |_| {
        called = true;
        vec![]
    });
    assert_data_error(result, &path, "decision regions need 2-D inputs");
    let err = plot::boundary(&path, &points, &[0, 1], &[], &mut by_quadrant).unwrap_err();
    assert!(err.to_string().contains("3 columns"), "{err}");
    let one = Matrix::from_vec(2, 1, vec![0.0f32; 2]).unwrap();
    let err = plot::boundary(&path, &one, &[0, 1], &[], &mut by_quadrant).unwrap_err();
    assert!(err.to_string().ends_with("have 1 column"), "{err}");
    assert!(!called);
    assert!(!path.exists());
}

#[test]
fn mismatched_labels_and_classifier_answers_are_errors() {
    let path = scratch("mismatch").join("plot.svg");
    let (points, labels) = xor_points();
    let result = plot::boundary(&path, &points, &labels[1..], &[], &mut by_quadrant);
    assert_data_error(result, &path, "labels");
    let result = plot::boundary(&path, &points, &labels, &[], &mut |_| vec![0; 3]);
    assert!(matches!(result, Err(Error::Shape(_))), "{result:?}");
    assert!(!path.exists());
}

#[test]
fn unnamed_classes_get_a_name_and_empty_data_still_draws() {
    let dir = scratch("unnamed");
    let (points, labels) = xor_points();
    let names = ["only one name".to_string()];
    plot::boundary(
        &dir.join("a.svg"),
        &points,
        &labels,
        &names,
        &mut by_quadrant,
    )
    .unwrap();
    let svg = std::fs::read_to_string(dir.join("a.svg")).unwrap();
    assert!(has_text(&svg, "only one name") && has_text(&svg, "class 1"));

    let none = Matrix::from_vec(0, 2, vec![]).unwrap();
    plot::boundary(&dir.join("b.png"), &none, &[], &names, &mut |g| {
        vec![0; g.rows()]
    })
    .unwrap();
}
