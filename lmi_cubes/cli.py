"""The `lmi-cubes` command: generate synthetic data, load it, serve it."""

from __future__ import annotations

import errno
import os
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path

import click

from lmi_cubes.aggregates import rollups
from lmi_cubes.etl.generate import MAX_WF_DENSITY, SCALES, generate, wf_multiplier_limit
from lmi_cubes.etl.load import JOURNAL_NOT_WRITTEN, LoadError, LoadResult, load, rebuild
from lmi_cubes.etl.official.importer import RELEASES, import_files
from lmi_cubes.etl.official.problems import ImportFailed
from lmi_cubes.etl.problems import ValidationFailed
from lmi_cubes.model import Model
from lmi_cubes.model.errors import ModelError
from lmi_cubes.model.loader import load_model
from lmi_cubes.settings import Settings
from lmi_cubes.warehouse import Warehouse, WarehouseUnavailable, open_target
from lmi_cubes.warehouse.files import ENV_VAR, WarehouseTargetError, default_warehouse
from lmi_cubes.warehouse.journal import sidecar


def _progress() -> Callable[[str], None]:
    started = time.monotonic()

    def say(message: str) -> None:
        click.echo(f"[{time.monotonic() - started:7.1f}s] {message}", err=True)

    return say


warehouse_option = click.option(
    "--warehouse",
    "warehouse",
    default=None,
    metavar="TARGET",
    help="DuckDB file path, duckdb:///path, postgresql://user@host:port/database or "
    "hive://host:port/namespace (a Spark Thrift server) URL "
    f"[default: ${ENV_VAR} or {default_warehouse()}]",
)


def configured_model() -> Model:
    """The model of the model-directory setting (docs/settings.md), else the packaged one:
    `load`, `rollups build` and `serve` read the same, so a custom model's warehouse has its
    tables and rollups, and is checked against it, wherever it is built or served."""
    return load_model(Settings.from_env().model_dir)


def _model_or_exit() -> Model:
    try:
        return configured_model()
    except ModelError as exc:
        raise click.ClickException(f"the model is invalid: {exc}") from exc


def load_warehouse(
    data_dir: Path,
    target: Path | str | Warehouse,
    progress: Callable[[str], None] | None = None,
    memory_limit: str = "4GB",
    allow_empty: bool = False,
    model: Model | None = None,
) -> LoadResult:
    """A load that also builds the model's rollup tables inside the same atomic swap, and
    publishes the result when the warehouse is not the local DuckDB file."""
    model = model or configured_model()
    warehouse = open_target(target)
    return load(
        data_dir,
        warehouse.local_path,
        progress=progress,
        memory_limit=memory_limit,
        extra=lambda con: rollups.build(con, model),
        allow_empty=allow_empty,
        publish=warehouse.publish if warehouse.remote else None,
        model=model,
    )


def _shown(warehouse: Warehouse) -> str:
    """The file path, or the database without its password."""
    return warehouse.name if warehouse.remote else warehouse.target


def _load_or_exit(
    data_dir: Path,
    warehouse: Warehouse,
    say: Callable[[str], None],
    memory_limit: str = "4GB",
    allow_empty: bool = False,
) -> LoadResult:
    """A load whose failure is one line on the terminal, not a traceback: the user needs
    what went wrong and where to look; the details are in the journal beside the warehouse."""
    journal = sidecar(warehouse.local_path, "load_runs.jsonl")
    target = _shown(warehouse)
    model = _model_or_exit()
    try:
        return load_warehouse(data_dir, warehouse, say, memory_limit, allow_empty, model)
    except ValidationFailed as exc:
        click.echo(
            f"load failed: {exc.summary()}; nothing was loaded, {target} is unchanged", err=True
        )
        sys.exit(2)
    except LoadError as exc:
        click.echo(f"load failed: {exc}; {target} is unchanged", err=True)
        sys.exit(1)
    except Exception as exc:
        notes = [n for n in getattr(exc, "__notes__", []) if n.startswith(JOURNAL_NOT_WRITTEN)]
        details = notes[0] if notes else f"details in {journal}"
        if _disk_full(exc):
            click.echo(
                f"load failed: the disk is full (No space left on device in "
                f"{warehouse.local_path.parent}); {target} is unchanged and the load's scratch "
                f"files were removed; free some space and load again; {details}",
                err=True,
            )
            sys.exit(1)
        first = (str(exc).strip().splitlines() or [""])[0][:300]
        click.echo(
            f"load failed ({type(exc).__name__}: {first}); {target} is unchanged; {details}",
            err=True,
        )
        sys.exit(1)


def _disk_full(exc: BaseException) -> bool:
    """ENOSPC from Python, or DuckDB's IO error that reports it in its text."""
    seen: BaseException | None = exc
    while seen is not None:
        if getattr(seen, "errno", None) == errno.ENOSPC or "No space left on device" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _check_directory(target: Warehouse, given: str | None) -> None:
    """A file target typed on the command line must be in an existing directory: creating
    `/typo-dir/` for a mistyped path would hide the typo behind a successful load. The
    default location (no --warehouse) is created, as on a first run."""
    if given is None or target.remote:
        return
    folder = target.local_path.parent
    if not folder.is_dir():
        raise click.BadParameter(
            f"the directory {folder} does not exist; create it first or check the path",
            param_hint="--warehouse",
        )


def port_in_use(host: str, port: int) -> bool:
    """Whether the address is already bound by another process, found before anything is
    printed or built: gunicorn would otherwise show the banner, retry for 5 s and exit with
    "Can't connect". SO_REUSEADDR as gunicorn binds, so a closed socket in TIME_WAIT does not
    count as busy."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return False  # an unknown host name is gunicorn's to report
    for family, kind, proto, _, address in infos:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    return True
    return False


def _target(warehouse: str | None) -> Warehouse:
    try:
        return open_target(warehouse)
    except WarehouseTargetError as exc:
        raise click.BadParameter(str(exc), param_hint="--warehouse") from exc


DOCS = "docs/reference.md in the source repository"


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=f"File formats, validation rules, reliability rules, formulas and the API's error "
    f"rules are documented in {DOCS}.",
)
@click.version_option(package_name="lmi-cubes", prog_name="lmi-cubes")
def main() -> None:
    """OLAP cubes of UK labour-market information, with reliability-aware cross-tabs."""


@main.command("generate", epilog=f"The file formats are described in {DOCS}.")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--scale",
    type=click.Choice(list(SCALES)),
    default="small",
    show_default=True,
    help="How much data: tiny (the tests, seconds), small (the demo, ~600k pay rows), "
    "full (benchmarks: 4M pay and 35M Working Futures rows, 1.2 GB).",
)
@click.option(
    "--seed",
    type=int,
    default=1,
    show_default=True,
    help="Random seed; the same seed and scale always write identical files.",
)
@click.option(
    "--wf-multiplier",
    type=click.FloatRange(min=0, min_open=True),
    default=1.0,
    show_default=True,
    help="Keep N times the scale's Working Futures cells per year (same years and totals, "
    "smaller cells; for scale runs: 10 with full is about 354M rows). Other files unchanged.",
)
def generate_command(out_dir: Path, scale: str, seed: int, wf_multiplier: float) -> None:
    """Write synthetic source files and classification files to OUT_DIR."""
    limit = wf_multiplier_limit(scale)
    if wf_multiplier > limit:
        raise click.BadParameter(
            f"at most {limit:g} at scale {scale} (it would keep more than "
            f"{MAX_WF_DENSITY:g} of the cells)",
            param_hint="--wf-multiplier",
        )
    say = _progress()
    generate(out_dir, scale, seed, progress=say, wf_multiplier=wf_multiplier)
    times = "" if wf_multiplier == 1 else f", Working Futures x{wf_multiplier:g}"
    say(f"wrote {scale} data (seed {seed}{times}) to {out_dir}")


@main.command("load", epilog=f"What is checked, and the file formats: {DOCS}.")
@click.argument("data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@warehouse_option
@click.option("--memory-limit", default="4GB", show_default=True, help="DuckDB memory limit")
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Accept source files with a header and no rows (they empty their tables).",
)
def load_command(
    data_dir: Path, warehouse: str | None, memory_limit: str, allow_empty: bool
) -> None:
    """Validate every file in DATA_DIR, check the new warehouse against the model, and swap
    it in atomically."""
    target = _target(warehouse)
    _check_directory(target, warehouse)
    say = _progress()
    result = _load_or_exit(data_dir, target, say, memory_limit, allow_empty)
    counts = ", ".join(f"{t}={n:,}" for t, n in result.rows.items() if t.startswith("fact_"))
    say(
        f"loaded vintage {result.vintage} into {_shown(target)} in {result.seconds:.1f}s ({counts})"
    )


@main.group("rollups")
def rollups_group() -> None:
    """Rollup tables: the facts pre-summed to the levels each cube's model declares
    (`info.rollups`), built by `load` and rebuilt here."""


@rollups_group.command("build")
@warehouse_option
def rollups_build(warehouse: str | None) -> None:
    """Rebuild the rollup tables of the warehouse in a new file and swap it in atomically."""
    target = _target(warehouse)
    say = _progress()
    model = _model_or_exit()
    try:
        rows = rebuild(
            target.local_path,
            lambda con: rollups.build(con, model),
            progress=say,
            publish=target.publish if target.remote else None,
            model=model,
        )
    except LoadError as exc:
        raise click.ClickException(f"{exc}; {_shown(target)} is unchanged") from exc
    say("built " + ", ".join(f"{t}={n:,}" for t, n in rows.items()))


@main.group("aggregates", hidden=True)
def aggregates_alias() -> None:
    """The former name of `rollups`, kept so that existing scripts still run."""
    click.echo("note: `lmi-cubes aggregates` is now `lmi-cubes rollups`", err=True)


aggregates_alias.add_command(rollups_build)


@main.command("import", epilog="Where to download each publication: docs/official-data.md.")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@warehouse_option
@click.option(
    "--release",
    type=click.Choice(RELEASES),
    default=None,
    help="ASHE release of the workbooks, when their download names do not say (PROV...)",
)
def import_command(files: tuple[Path, ...], warehouse: str | None, release: str | None) -> None:
    """Import published ONS ASHE tables and Working Futures workbooks (.xls, .xlsx, .xlsm, a
    zip of them, or a folder of them) beside the warehouse; every file is checked before
    anything changes."""
    target = _target(warehouse)
    say = _progress()
    try:
        result = import_files(list(files), target.local_path, release, say)
    except ImportFailed as exc:
        for problem in exc.problems:
            click.echo(f"import failed: {problem.line()}", err=True)
        click.echo("nothing was imported; the served tables are unchanged", err=True)
        sys.exit(2)
    say(
        f"imported {len(result.tables)} table(s), {result.figures:,} figures in all, in "
        f"{result.seconds:.1f}s"
    )


EXAMPLES = (
    "cube/ashe_pay/crosstab?rows=occupation:soc1&columns=region:nation&measure=mean_pay",
    "cube/ashe_pay/crosstab?rows=occupation:soc4&columns=region:nation&measure=median_pay"
    "&cut=occupation:2,21|gender:2",
    "cube/working_futures/crosstab?rows=occupation:soc2&columns=gender&measure=total_requirement"
    "&from=2020&to=2030&format=csv&layout=wide",
)


@main.command("serve")
@warehouse_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64))
def serve_command(warehouse: str | None, host: str, port: int, workers: int, threads: int) -> None:
    """Serve the API with gunicorn; build the small demo warehouse first if there is none."""
    if port_in_use(host, port):
        raise click.ClickException(f"port {port} is in use; try --port {port + 1}")
    target = _target(warehouse)
    say = _progress()
    try:
        version = target.version()
    except WarehouseUnavailable as exc:
        raise click.ClickException(str(exc)) from exc
    if version is None:
        demo = target.local_path.parent / "demo-data"
        scale = Settings.from_env().demo_scale  # the tests use "tiny"
        say(f"no warehouse at {_shown(target)}: building the {scale} demo data set first")
        say(f"step 1 of 2: generating synthetic data in {demo}")
        generate(demo, scale, 1, progress=say)
        say(f"step 2 of 2: validating and loading it into {_shown(target)}")
        _load_or_exit(demo, target, say)
    else:
        from lmi_cubes.cube_server.state import problem_of

        problem = problem_of(target, _model_or_exit())  # now, not at the first request
        if problem is not None:
            click.echo(f"warning: {problem}; the server answers 503 until it is fixed", err=True)
    url = f"http://{host}:{port}/"
    click.echo(f"Serving {_shown(target)} at {url}", err=True)
    click.echo(f"  explorer {url}   compare jobs {url}widget   API {url}docs", err=True)
    click.echo("Try:", err=True)
    for example in EXAMPLES:
        click.echo(f"  curl '{url}{example}'", err=True)
    _exec_server(target, host, port, workers, threads)


def _exec_server(target: Warehouse, host: str, port: int, workers: int, threads: int) -> None:
    """Replace this process with gunicorn managing `workers` processes, each serving with
    waitress (cube_server/worker.py: requests are read whole before a thread sees them)."""
    env = {**os.environ, ENV_VAR: target.target, "LMI_CUBES_THREADS": str(threads)}
    argv = [
        sys.executable, "-m", "gunicorn",
        "--workers", str(workers), "--worker-class", "lmi_cubes.cube_server.worker.BufferingWorker",
        "--threads", str(threads),
        "--bind", f"{host}:{port}", "--access-logfile", "-",
        "--graceful-timeout", "10",
        # the control socket's default path is shared by every gunicorn on the machine
        "--no-control-socket",
        "lmi_cubes.cube_server.app:create_app()",
    ]  # fmt: skip
    os.execve(sys.executable, argv, env)


if __name__ == "__main__":
    main()
