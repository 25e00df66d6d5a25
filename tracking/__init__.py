"""Regression tracking on ipcbench results: compare, merge_runs, trend, export_gab, callgrind, error_rates."""
