"""The `lmi-cubes` command: generate synthetic data, load it, serve it."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from etl.generate import SCALES, generate
from etl.load import LoadError, load
from etl.problems import ValidationFailed
from etl.warehouse import ENV_VAR, WarehouseTargetError, default_warehouse, resolve_target


def _progress() -> tuple[float, object]:
    started = time.monotonic()

    def say(message: str) -> None:
        click.echo(f"[{time.monotonic() - started:7.1f}s] {message}", err=True)

    return started, say


warehouse_option = click.option(
    "--warehouse",
    "warehouse",
    default=None,
    metavar="TARGET",
    help=f"DuckDB file path or duckdb:/// URL [default: ${ENV_VAR} or {default_warehouse()}]",
)


def _target(warehouse: str | None) -> Path:
    try:
        return resolve_target(warehouse)
    except WarehouseTargetError as exc:
        raise click.BadParameter(str(exc), param_hint="--warehouse") from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """OLAP cubes of UK labour-market information, with reliability-aware cross-tabs."""


@main.command("generate")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--scale", type=click.Choice(list(SCALES)), default="small", show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
def generate_command(out_dir: Path, scale: str, seed: int) -> None:
    """Write synthetic source files (SPEC section 3) to OUT_DIR."""
    _, say = _progress()
    generate(out_dir, scale, seed, progress=say)  # type: ignore[arg-type]
    say(f"wrote {scale} data (seed {seed}) to {out_dir}")  # type: ignore[operator]


@main.command("load")
@click.argument("data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@warehouse_option
@click.option("--memory-limit", default="4GB", show_default=True, help="DuckDB memory limit")
def load_command(data_dir: Path, warehouse: str | None, memory_limit: str) -> None:
    """Validate every file in DATA_DIR and swap a new warehouse in atomically."""
    target = _target(warehouse)
    _, say = _progress()
    try:
        result = load(data_dir, target, progress=say, memory_limit=memory_limit)  # type: ignore[arg-type]
    except ValidationFailed as exc:
        click.echo(str(exc), err=True)
        click.echo(f"Nothing was loaded; {target} is unchanged.", err=True)
        sys.exit(2)
    except LoadError as exc:
        raise click.ClickException(str(exc)) from exc
    counts = ", ".join(f"{t}={n:,}" for t, n in result.rows.items() if t.startswith("fact_"))
    say(f"loaded vintage {result.vintage} into {target} in {result.seconds:.1f}s ({counts})")  # type: ignore[operator]


if __name__ == "__main__":
    main()
