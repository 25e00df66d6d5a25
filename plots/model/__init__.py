"""The model of a run: its records parsed once (names into words and parameters, failures and skips told
apart) and the queries every analysis shares. Imports nothing else from plots/."""
