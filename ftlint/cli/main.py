"""The ``ftlint`` command: ``check``, ``rules``, ``rule``, ``server``, ``version``.

Exit status (as ruff and eslint): 0 when nothing at or above ``--fail-on`` was
found, 1 when something was, 2 for a usage, settings, plugin or internal
error. When the reader of the output goes away (``ftlint check | head``),
ftlint stops quietly with status 2.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from ftlint._version import __version__
from ftlint.api.documentation import page_url, rule_documentation
from ftlint.api.execution import ExecutorError
from ftlint.api.rules import Rule
from ftlint.cli.progress import ProgressBar
from ftlint.core.findings import Severity
from ftlint.core.statistics import RunStatistics
from ftlint.readers.base import ReadError
from ftlint.reporters.base import ReportContext, Reporter, RuleInfo
from ftlint.run.baseline import BaselineError, check_baseline_target, read_baseline
from ftlint.run.engine import Engine
from ftlint.run.fixes import FixOptions
from ftlint.run.inventory import describe_files
from ftlint.run.pipeline import (
    EXIT_ERROR,
    EXIT_OK,
    CheckRequest,
    Pipeline,
    ReportTarget,
)
from ftlint.run.registry import PluginError, Registry, load_plugins
from ftlint.run.selection import Selection
from ftlint.settings.files import resolve_settings
from ftlint.settings.schema import EngineSettings, Settings, SettingsError
from ftlint.settings.sources import describe_settings


class UsageError(Exception):
    """The command line asks for something that cannot be done."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        status = int(args.handler(args))
        _flush_stdout()  # a full disk or a closed pipe shows here, not at exit
        return status
    except BrokenPipeError:
        _discard_stdout()
        return EXIT_ERROR
    except (
        SettingsError,
        PluginError,
        BaselineError,
        UsageError,
        ReadError,
        ExecutorError,
    ) as error:
        _error(str(error))
        return EXIT_ERROR
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_ERROR
    except Exception as error:  # the last line of defence: no traceback for users
        if os.environ.get("FTLINT_DEBUG"):
            traceback.print_exc()
        _error(
            f"internal error: {type(error).__name__}: {error} "
            "(set FTLINT_DEBUG=1 for the traceback, and please report it)"
        )
        return EXIT_ERROR


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        raise UsageError(f"cannot write to standard output: {error.strerror}") from error


def _discard_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's last
    flush at exit does not fail again on the closed pipe (the recipe of the
    ``signal`` module's documentation)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _error(message: str) -> None:
    for line in message.splitlines() or [""]:
        print(f"ftlint: error: {line}", file=sys.stderr)


def _warning(message: str) -> None:
    print(f"ftlint: warning: {message}", file=sys.stderr)


def _positive_int(value: str) -> int:
    """An argument that counts something: 1 or more (as the settings keys)."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def _comma_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ftlint", description="Lint LLM fine-tuning datasets and training configs."
    )
    parser.add_argument("--version", action="version", version=f"ftlint {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="lint datasets and configs")
    check.set_defaults(handler=_check)
    check.add_argument(
        "paths", nargs="*", type=Path, help="files or folders (default: .); - reads stdin"
    )
    check.add_argument(
        "--stdin-filename",
        type=Path,
        metavar="PATH",
        help="with -: lint stdin as if it were this file (its split, siblings and settings)",
    )
    rules = check.add_argument_group("rule selection")
    rules.add_argument("--select", type=_comma_list, help="rules to run: codes, prefixes, names")
    rules.add_argument("--extend-select", type=_comma_list, default=None)
    rules.add_argument("--ignore", type=_comma_list, default=None)
    output = check.add_argument_group("output")
    output.add_argument(
        "--output-format", help="text, concise, json, jsonl, sarif, github, html, markdown"
    )
    output.add_argument("-o", "--output", type=Path, help="write the report to this file")
    output.add_argument("--statistics", action="store_true", help="count findings per rule")
    output.add_argument(
        "--max-findings", type=_positive_int, help="report at most this many findings"
    )
    output.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    output.add_argument("--no-color", action="store_true", help="never colour the output")
    status = check.add_argument_group("exit status")
    status.add_argument("--fail-on", choices=[s.value for s in Severity], default=None)
    status.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    adoption = check.add_argument_group("settings and adoption")
    adoption.add_argument("--config", type=Path, help="settings file (default: discovered)")
    adoption.add_argument("--baseline", type=Path, help="report only findings not in FILE")
    adoption.add_argument("--write-baseline", type=Path, help="record today's findings in FILE")
    adoption.add_argument("--strict-plugins", action="store_true", help="a broken plugin is fatal")
    adoption.add_argument(
        "--show-files",
        action="store_true",
        help="list every file with its role, split and dataset, and lint nothing",
    )
    adoption.add_argument(
        "--show-settings",
        action="store_true",
        help="print the resolved settings and where each came from, and lint nothing",
    )
    fixing = check.add_argument_group("fixes")
    fixing.add_argument(
        "--fix",
        action="store_true",
        help="apply safe fixes to configs and datasets (removed records kept in quarantine-dir)",
    )
    fixing.add_argument(
        "--unsafe-fixes", action="store_true", help="with --fix or --diff, unsafe fixes too"
    )
    fixing.add_argument(
        "--diff", action="store_true", help="print what the fixes would change; write nothing"
    )
    run = check.add_argument_group("execution")
    run.add_argument(
        "-j", "--jobs", type=_positive_int, help="worker processes (default: every core)"
    )
    run.add_argument(
        "--engine", metavar="NAME", help="the executor: local (default) or one a plugin adds"
    )
    run.add_argument("--no-cache", action="store_true", help="read every file again")
    run.add_argument(
        "--reference",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="a benchmark or held-out file training data must not contain (L004); repeatable",
    )

    listing = commands.add_parser("rules", help="list every rule")
    listing.set_defaults(handler=_rules)
    listing.add_argument("--output-format", choices=["text", "json"], default="text")

    one = commands.add_parser("rule", help="print a rule's documentation")
    one.set_defaults(handler=_rule)
    one.add_argument("rule", help="code or name, e.g. S005 or empty-content")

    server = commands.add_parser(
        "server", help="run the language server over stdio (needs ftlint[lsp])"
    )
    server.set_defaults(handler=_server)

    version = commands.add_parser("version", help="print the version")
    version.set_defaults(handler=lambda _: print(f"ftlint {__version__}") or EXIT_OK)
    return parser


def _load(strict: bool = False) -> Registry:
    registry = load_plugins(strict=strict)
    for failure in registry.failures:
        _warning(f"plugin '{failure.plugin}' failed to load and is skipped: {failure.error}")
    return registry


def _settings(args: argparse.Namespace) -> Settings:
    settings = resolve_settings(args.paths, args.config)
    return settings.with_overrides(**_overrides(args, settings))


def _overrides(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    """The settings the command line gives (None: not given)."""
    return {
        "select": args.select,
        "extend_select": args.extend_select,
        "ignore": args.ignore,
        "fail_on": Severity(args.fail_on) if args.fail_on else None,
        "jobs": args.jobs,
        "engine": _engine(args.engine, settings),
        "output_format": args.output_format,
        "cache": False if args.no_cache else None,
        "references": (
            [*settings.references, *(str(p.resolve()) for p in args.reference)]
            if args.reference
            else None
        ),
    }


def _engine(name: str | None, settings: Settings) -> EngineSettings | None:
    """``--engine NAME``: the settings file's engine table when it names the
    same executor, else NAME with its defaults (the table's options are the
    other executor's); None when not given."""
    if name is None or name == settings.engine.name:
        return None
    return EngineSettings(name=name)


def _show_settings(args: argparse.Namespace) -> int:
    """``--show-settings``: the resolved settings and where each came from."""
    settings = resolve_settings(args.paths, args.config)
    print("\n".join(describe_settings(settings, _overrides(args, settings))))
    return EXIT_OK


def _show_files(args: argparse.Namespace, registry: Registry, settings: Settings) -> int:
    """``--show-files``: every file with its role, split and dataset; lints nothing."""
    enabled = Selection.resolve(registry, settings).enabled
    inputs = Engine(registry, settings, enabled).inputs(args.paths)
    print("\n".join(describe_files(inputs)))
    for message in inputs.warnings:
        _warning(message)
    for message in inputs.errors:
        _error(message)
    return EXIT_ERROR if inputs.errors else EXIT_OK


def _check(args: argparse.Namespace) -> int:
    """``ftlint check``: the flags into a :class:`CheckRequest`, the check run
    by the pipeline every check runs through, and its outcome told."""
    if args.show_settings:
        return _show_settings(args)
    buffers = _read_stdin(args)
    registry = _load(args.strict_plugins)
    settings = _settings(args)
    if args.show_files:
        return _show_files(args, registry, settings)
    reporter_class = _reporter_class(registry, settings)
    if args.write_baseline:
        check_baseline_target(args.write_baseline)
    request = CheckRequest(
        paths=args.paths,
        buffers=buffers,
        baseline=read_baseline(args.baseline) if args.baseline else None,
        write_baseline=args.write_baseline,
        max_findings=args.max_findings,
        fix=(
            FixOptions(write=not args.diff, unsafe=args.unsafe_fixes)
            if args.fix or args.diff
            else None
        ),
        exit_zero=args.exit_zero,
    )
    pipeline = Pipeline(registry, settings, request)
    report_to = _report_target(args, settings, reporter_class)
    progress = ProgressBar(enabled=not args.no_progress)
    outcome = pipeline.check(report_to, progress if progress.enabled else None)

    fixes = outcome.fixes
    for message in fixes.errors:
        _warning(message)
    if request.diff_only:
        sys.stdout.write(fixes.diff)
        return outcome.exit_status
    if fixes.fixed:
        print(
            f"ftlint: fixed {len(fixes.fixed)} finding(s) in {len(fixes.files)} file(s)",
            file=sys.stderr,
        )
    for message in outcome.result.warnings:
        _warning(message)
    for message in outcome.result.errors:
        _error(message)
    return outcome.exit_status


def _read_stdin(args: argparse.Namespace) -> dict[Path, bytes]:
    """``check - --stdin-filename PATH``: stdin's bytes as the unsaved content of
    PATH, which replaces ``-`` among the paths (settings are found from it)."""
    reading = [p for p in args.paths if str(p) == "-"]
    if not reading:
        if args.stdin_filename is not None:
            raise UsageError("--stdin-filename needs - among the paths to read stdin")
        return {}
    if args.stdin_filename is None:
        raise UsageError("- reads stdin: name the file it stands for with --stdin-filename")
    if len(args.paths) > 1:
        raise UsageError("- (stdin) cannot be combined with other paths")
    if args.fix:
        raise UsageError("--fix cannot write to stdin; --diff shows the fixes")
    args.paths = [args.stdin_filename]
    return {args.stdin_filename.resolve(): sys.stdin.buffer.read()}


def _reporter_class(registry: Registry, settings: Settings) -> type[Reporter]:
    format_name = settings.output_format or "text"
    reporter_class = registry.reporters.get(format_name)
    if reporter_class is None:
        raise UsageError(
            f"unknown output format '{format_name}'; choose from {', '.join(registry.reporters)}"
        )
    return reporter_class


def _report_target(
    args: argparse.Namespace, settings: Settings, reporter_class: type[Reporter]
) -> ReportTarget:
    """Opens the report: ``-o FILE`` or standard output, in the format asked for."""

    @contextlib.contextmanager
    def open_report(rules: Sequence[Rule], statistics: RunStatistics) -> Iterator[Reporter]:
        with _output(args.output) as stream:
            context = ReportContext(
                tool_version=__version__,
                rules=tuple(_rule_info(type(rule)) for rule in rules),
                root=".",
                color=_use_color(stream, args.no_color),
                show_statistics=args.statistics,
                fail_on=settings.fail_on,
                invocation=tuple(sys.argv),
                statistics=statistics,
            )
            yield reporter_class(stream, context)

    return open_report


@contextlib.contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    """Standard output, or the file ``--output`` names. Lone surrogates that a
    finding quotes from a record (``"\\ud800"``) are written as their escapes."""
    if path is None:
        if isinstance(sys.stdout, io.TextIOWrapper):
            sys.stdout.reconfigure(errors="backslashreplace")
        try:
            yield sys.stdout
            _flush_stdout()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise UsageError(f"cannot write the report: {error.strerror}") from error
        return
    try:
        with path.open("w", encoding="utf-8", errors="backslashreplace", newline="\n") as stream:
            yield stream
    except OSError as error:
        raise UsageError(f"{path}: cannot write the report: {error.strerror}") from error


def _use_color(stream: TextIO, disabled: bool) -> bool:
    if disabled or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


def _rule_info(rule: type[Rule]) -> RuleInfo:
    documentation = rule_documentation(rule)
    return RuleInfo(
        code=rule.code,
        name=rule.name,
        summary=rule.summary,
        documentation=documentation.markdown(),
        severity=rule.severity,
        plugin=rule.plugin,
        description=documentation.description,
        help_uri=page_url(rule.code, rule.plugin),
    )


def _server(args: argparse.Namespace) -> int:
    try:
        from ftlint.server.app import serve
    except ImportError as error:
        raise UsageError(
            f"ftlint server needs pygls ({error}): pip install 'ftlint[lsp]'"
        ) from error
    serve()
    return EXIT_OK


def _rules(args: argparse.Namespace) -> int:
    registry = _load()
    rules = sorted(registry.rules.values(), key=lambda r: r.code)
    if args.output_format == "json":
        listing = [
            {
                "code": r.code,
                "name": r.name,
                "severity": str(r.severity),
                "plugin": r.plugin,
                "default_enabled": r.default_enabled,
                "fix_safety": r.fix_safety,
                "summary": r.summary,
            }
            for r in rules
        ]
        print(json.dumps(listing, indent=2))
        return EXIT_OK
    name_width = max((len(r.name) for r in rules), default=4)
    for r in rules:
        marker = "" if r.default_enabled else "  (not enabled by default)"
        if r.fix_safety is not None:
            marker += "  (fixable)"
        print(
            f"{r.code:<6} {r.name:<{name_width}}  {r.severity!s:<7}  {r.plugin:<10}  "
            f"{r.summary}{marker}"
        )
    return EXIT_OK


def _rule(args: argparse.Namespace) -> int:
    registry = _load()
    rule = registry.rule(args.rule)
    if rule is None:
        raise UsageError(f"no rule '{args.rule}'; `ftlint rules` lists them")
    sys.stdout.write(rule_documentation(rule).page())
    return EXIT_OK
