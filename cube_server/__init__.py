"""The slice-and-dice HTTP API over the cube engine."""
