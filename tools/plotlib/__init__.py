"""Figures from interdep result files: the modules behind tools/plot (docs/plotting.md)."""
