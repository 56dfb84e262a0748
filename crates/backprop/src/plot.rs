//! Plots: training curves and decision regions, as SVG or PNG.
