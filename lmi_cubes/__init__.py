"""The `lmi-cubes` command (`cli`): it drives the loader (etl), the engine's rollups
(aggregates) and the HTTP server (cube_server), so it sits above all three rather than inside
one. Beside it, `settings` holds the deployment's settings, which every layer reads; this
file imports nothing, so reading them loads nothing else."""
