"""The `lmi-cubes` command: it drives the loader (etl), the engine's rollups (aggregates)
and the HTTP server (cube_server), so it sits above all three rather than inside one."""
