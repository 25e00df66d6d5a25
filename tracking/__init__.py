"""Regression tracking on ipcbench results: compare, interleave, sequential, ab, noise, merge_runs, trend,
export_gab, callgrind, error_rates."""
